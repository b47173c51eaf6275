"""CL-7: the unit's 保密事项目录 — versioned entries (matter, level, period, scope, source) — offered
as the 定密依据 by registration (action, API, page) and by the ledger import, which take the level
and period from the chosen entry; an entry is also the decision that allows a period above the
CL-3 maximum."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from baomi.carriers import actions as carriers
from baomi.carriers.choices import CarrierKind, Source
from baomi.carriers.models import Carrier
from baomi.carriers.registration import Registration
from baomi.catalogue import actions
from baomi.catalogue.models import CatalogueEntry
from baomi.classification.choices import Level
from baomi.classification.periods import Period
from baomi.imports.actions import import_carriers
from baomi.lib.errors import Forbidden, Invalid, InvalidState
from tests.api.helpers import assert_error, assert_invalid
from tests.factories import refused
from tests.imports.ledgers import carrier as ledger_row
from tests.imports.ledgers import table

pytestmark = pytest.mark.django_db


def _entry(w, *, code="1.2", level=Level.SECRET, period=None):
    return actions.publish_entry(
        w.classifier,
        actions.EntryForm(
            code=code,
            matter="本单位年度保密工作重点部署",
            level=level,
            period=period or Period.indefinite(),
            scope="单位领导、办公室秘书科",
            source_document="X保发〔2025〕7号",
        ),
    )


def _produced(w, **extra):
    return Registration(
        kind=CarrierKind.DOCUMENT,
        title="2026年保密工作要点",
        doc_date=date(2026, 1, 5),
        level=extra.pop("level", ""),
        source=Source.PRODUCED,
        place=w.cabinet,
        classifier=w.classifier,
        marking_reviewer=w.clerk,
        scope_departments=[w.office],
        **extra,
    )


def test_r_cl_7_entries_are_versioned(world):
    w = world
    first = _entry(w, period=Period.of_years(10))
    revised = actions.revise_entry(
        w.clerk,
        first,
        actions.EntryForm(
            code="ignored",
            matter=first.matter,
            level=Level.SECRET,
            period=Period.indefinite(),
            scope=first.scope,
            source_document="X保发〔2026〕2号",
            note="依新文件调整为长期",
        ),
    )
    first.refresh_from_db()
    assert (first.version, first.current) == (1, False)
    assert (revised.code, revised.version, revised.current) == ("1.2", 2, True)
    assert revised.period_text == "长期" and "第2版" in revised.basis_text
    with pytest.raises(InvalidState):
        actions.revise_entry(w.clerk, first, actions.EntryForm("", "x", "secret", None, "x", "x"))
    with refused("forbidden", error=Forbidden):
        actions.publish_entry(
            w.zhang,
            actions.EntryForm("9.9", "x", Level.SECRET, Period.of_years(5), "x", "x"),
        )
    with pytest.raises(Invalid):
        _entry(w, code="1.2")  # the code exists: revise it instead
    actions.retire_entry(w.clerk, revised, note="事项已公开")
    assert not CatalogueEntry.objects.filter(current=True).exists()


def test_r_cl_7_registration_takes_level_period_and_basis_from_the_entry(world):
    w = world
    entry = _entry(w, period=Period.of_years(25))  # 机密 above the CL-3 maximum of 20 years
    with refused("CL-3"):
        carriers.register(
            w.clerk, _produced(w, level=Level.SECRET, period=Period.of_years(25), basis="领导指示")
        )
    [made] = carriers.register(w.clerk, _produced(w, catalogue_entry=entry))
    assert made.level == Level.SECRET and made.marking == "机密★25年"
    assert made.basis == entry.basis_text and "保密事项目录 1.2" in made.basis
    # A period the entry did not decide is still held to CL-3.
    with refused("CL-3"):
        carriers.register(w.clerk, _produced(w, catalogue_entry=entry, period=Period.of_years(22)))


def test_r_cl_7_registration_api_and_page_offer_the_catalogue(world, api, client):
    w = world
    entry = _entry(w, period=Period.of_years(15))
    body = {
        "kind": "document",
        "title": "2026年保密工作要点",
        "doc_date": "2026-01-05",
        "source": "produced",
        "place_id": w.cabinet.pk,
        "classifier_id": w.classifier.pk,
        "marking_reviewer_id": w.clerk.pk,
        "scope_departments": [w.office.pk],
        "level": "secret",  # the period is left to the entry
        "catalogue_entry_id": entry.pk,
    }
    response = api(w.clerk).post("carriers", body)
    assert response.status_code == 201, response.content
    made = response.json()[0]
    assert made["level"] == "secret" and made["marking"] == "机密★15年"
    assert made["basis"] == entry.basis_text
    assert_invalid(
        api(w.clerk).post("carriers", {**body, "catalogue_entry_id": 99999}), "catalogue_entry_id"
    )
    listed = api(w.zhang).get("catalogue").json()
    assert listed["count"] == 1 and listed["results"][0]["period"]["years"] == 15
    assert_error(api(w.sysadmin).get(f"catalogue/{entry.pk}"), 404, "not_found")
    assert_error(
        api(w.zhang).post(
            "catalogue",
            {
                "code": "2.1",
                "matter": "x",
                "level": "secret",
                "period": {"kind": "years", "years": 5},
                "scope": "x",
                "source_document": "x",
            },
        ),
        403,
        "forbidden",
    )
    client.force_login(w.clerk.user)
    page = client.get(reverse("carriers:register")).content.decode()
    assert "保密事项目录条目" in page and "本单位年度保密工作重点部署" in page
    response = client.post(
        reverse("carriers:register"),
        {
            "source": "produced",
            "kind": "document",
            "title": "页面登记",
            "doc_date": "2026-01-10",
            "pages": "1",
            "copies": "1",
            "place": w.cabinet.pk,
            "classifier": w.classifier.pk,
            "marking_reviewer": w.clerk.pk,
            "scope_departments": [w.office.pk],
            "catalogue_entry": entry.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    carrier = Carrier.objects.get(title="页面登记")
    assert carrier.marking == "机密★15年" and carrier.basis == entry.basis_text
    assert client.get(reverse("catalogue:list")).status_code == 200


def test_r_cl_7_import_takes_the_entry_named_as_basis(world):
    w = world
    entry = _entry(w, code="3.1", level=Level.CONFIDENTIAL, period=Period.of_years(5))
    row = ledger_row(密级="", 保密期限="", 定密依据="目录3.1")
    report = import_carriers(
        w.clerk, w.unit, file_name="台帐.xlsx", data=table([row]), dry_run=False
    )
    made = report.batch.carriers.get()
    assert made.level == Level.CONFIDENTIAL and made.marking == "秘密★5年"
    assert made.basis == entry.basis_text
