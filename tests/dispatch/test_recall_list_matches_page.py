"""CR-10: the 清退 page, its 清退单 (PDF and xlsx) and the API list the same carriers of an issuer,
from one query — never a print-out of everything the issuer ever sent while the screen shows
what is due. A carrier received after a round's date belongs to the next round."""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from openpyxl import load_workbook

from baomi.classification.choices import Level
from baomi.dispatch import actions as dispatch
from tests.api.helpers import api_as
from tests.factories import person, receive

pytestmark = pytest.mark.django_db

ISSUER = "XX省人民政府办公厅"
TZ = ZoneInfo("Asia/Shanghai")


def at(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


def page_labels(client, within: int | None = None) -> list[str]:
    url = "/dispatch/recalls/" + (f"?within={within}" if within is not None else "")
    html = client.get(url).content.decode()
    card = re.search(rf'data-issuer="{ISSUER}".*?</table>', html, re.S)
    if card is None:
        return []
    return re.findall(r'class="carrier-number"[^>]*>([^<]+)<', card.group(0))


def pdf_labels(client, tmp_path, labels_known, within: int | None = None) -> list[str]:
    query = {"issuer": ISSUER} | ({"within": within} if within is not None else {})
    pdf = client.get("/dispatch/recalls/list.pdf", query)
    assert pdf.status_code == 200
    path = tmp_path / "recall.pdf"
    path.write_bytes(pdf.content)
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    return sorted(label for label in labels_known if label in text)


def xlsx_labels(client, within: int | None = None) -> list[str]:
    query = {"issuer": ISSUER} | ({"within": within} if within is not None else {})
    sheet = load_workbook(BytesIO(client.get("/dispatch/recalls/list.xlsx", query).content)).active
    return sorted(row[1] for row in sheet.iter_rows(min_row=4, values_only=True) if row[1])


def api_labels(api, within: int | None = None) -> list[str]:
    query = {"issuer": ISSUER} | ({"within_days": within} if within is not None else {})
    listed = api.get("recalls/list", query)
    assert listed.status_code == 200, listed.content
    due = api.get("recalls/due", {} if within is None else {"within_days": within}).json()
    from_due = [c["label"] for r in due if r["issuer"] == ISSUER for c in r["carriers"]]
    from_list = [c["label"] for c in listed.json()["carriers"]]
    assert sorted(from_due) == sorted(from_list)
    return sorted(from_list)


def test_r_cr_10_unscheduled_issuer_the_pdf_lists_what_the_page_shows(world, client, tmp_path):
    """No schedule: only the 绝密 copy is due (at once) — on the page, in the PDF, the xlsx and
    the API alike; the 机密 copies (one received this week) are not on the 清退单."""
    w = world
    with at(date(2026, 3, 2)):
        old = receive(w, level=Level.CONFIDENTIAL)
    with at(date(2026, 5, 4)):
        top = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader])
    with at(date(2026, 5, 8)):
        fresh = receive(w, level=Level.CONFIDENTIAL)
    known = [old.label, top.label, fresh.label]
    client.force_login(w.clerk.user)
    api = api_as(w, w.clerk)
    with at(date(2026, 5, 10)):
        assert page_labels(client) == [top.label]
        assert pdf_labels(client, tmp_path, known) == [top.label]
        assert xlsx_labels(client) == [top.label]
        assert api_labels(api) == [top.label]


def test_r_cr_10_a_carrier_received_after_the_round_date_waits_for_the_next_round(
    world, client, tmp_path
):
    w = world
    with at(date(2026, 3, 1)):
        dispatch.set_schedule(
            w.clerk, w.unit, issuer=ISSUER, interval_months=6, starts_on=date(2025, 10, 1)
        )
        old = receive(w)  # due in the round of 2026-04-01
    with at(date(2026, 5, 6)):
        fresh = receive(w)  # received after that round's date: due 2026-10-01
    known = [old.label, fresh.label]
    client.force_login(w.clerk.user)
    api = api_as(w, w.clerk)
    with at(date(2026, 5, 10)):
        for within in (None, 0, 30):
            assert page_labels(client, within) == [old.label], within
            assert pdf_labels(client, tmp_path, known, within) == [old.label], within
            assert xlsx_labels(client, within) == [old.label], within
            assert api_labels(api, within) == [old.label], within
        # Looking far enough ahead brings the next round in — everywhere at once.
        both = sorted(known)
        assert sorted(page_labels(client, 200)) == both
        assert pdf_labels(client, tmp_path, known, 200) == both
        assert xlsx_labels(client, 200) == both
        assert api_labels(api, 200) == both
        # Recalling the one due closes the round although the fresh one is still held.
        dispatch.recall(w.clerk, old)
        from baomi.dispatch.models import IssuerRecallSchedule

        assert IssuerRecallSchedule.objects.get().last_recalled_on == date(2026, 5, 10)


def test_r_per_1_the_recall_list_holds_nothing_above_the_clerks_level(world, client, tmp_path):
    w = world
    junior = person(
        w.system, w.unit, "吴保密", w.registry, "important", "wubaomi", roles=("is_registry_clerk",)
    )
    with at(date(2026, 5, 4)):
        top = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader])
    client.force_login(junior.user)
    with at(date(2026, 5, 10)):
        assert page_labels(client) == []
        assert pdf_labels(client, tmp_path, [top.label]) == []
        assert xlsx_labels(client) == []
        assert api_labels(api_as(w, junior)) == []


def test_r_cr_10_the_due_filter_agrees_with_due_date_on_every_day(world, monkeypatch):
    """The recall query loads only carriers that may be due (not every received carrier); on
    each day of a year it finds exactly what the carrier-by-carrier walk finds."""
    from datetime import timedelta

    from django.db.models import Q

    from baomi.dispatch import recall

    w = world
    with at(date(2025, 12, 1)):
        dispatch.set_schedule(
            w.clerk, w.unit, issuer=ISSUER, interval_months=6, starts_on=date(2026, 1, 31)
        )
    for day in (date(2025, 12, 20), date(2026, 1, 31), date(2026, 2, 1), date(2026, 6, 15)):
        with at(day):
            receive(w)
            receive(w, issuer="无清退安排的机关")
    with at(date(2026, 3, 3)):
        receive(w, level=Level.TOP_SECRET, scope_people=[w.leader])

    def rounds(today, within):
        return [
            (r.issuer, r.due, sorted(c.pk for c in r.carriers))
            for r in recall.recall_rounds(w.unit, today, within_days=within, viewer=w.clerk)
        ]

    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 365, 9)]
    filtered = {(d, n): rounds(d, n) for d in days for n in (0, 14, 200)}
    monkeypatch.setattr(recall, "_may_be_due_by", lambda schedules, horizon: Q())
    walked = {(d, n): rounds(d, n) for d in days for n in (0, 14, 200)}
    assert filtered == walked
    assert any(filtered.values()) and not all(filtered.values())
