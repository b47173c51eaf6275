"""What a ledger import leaves with people is regularised by the 保密员: returned to the
registry, or turned into a loan on an approved loan request naming the holder (CR-6, APR-3)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from baomi.approvals.choices import RequestKind
from baomi.carriers import actions as carriers
from baomi.carriers.choices import Status
from baomi.imports.actions import import_carriers, regularise_with_loan
from baomi.lib.alerts import alerts_for
from tests.factories import approved, refused
from tests.imports.ledgers import carrier, table


def held(w, holder="张三", level="机密", period="10年"):
    report = import_carriers(
        w.clerk,
        w.unit,
        file_name="台帐.xlsx",
        data=table([carrier(密级=level, 保密期限=period, 保管人=holder)]),
        dry_run=False,
    )
    return report.batch.carriers.get()


def alerted(w) -> bool:
    kinds = [a.kind for a in alerts_for(w.clerk, timezone.localdate())]
    return "import_held_unapproved" in kinds


def test_r_cr_6_loan_approval_regularises_the_holding(world):
    item = held(world)
    loan = approved(world, RequestKind.LOAN, [item], beneficiary=world.zhang)
    regularise_with_loan(world.clerk, item, loan)
    item.refresh_from_db()
    assert (item.status, item.holder, item.out_request) == (Status.ON_LOAN, world.zhang, loan)
    assert item.due_date is not None and not alerted(world)


def test_r_apr_3_loan_for_someone_else_refused(world):
    item = held(world)
    loan = approved(world, RequestKind.LOAN, [item], beneficiary=world.classifier)
    with refused("APR-3"):
        regularise_with_loan(world.clerk, item, loan)
    assert alerted(world)


def test_return_regularises_too(world):
    item = held(world)
    carriers.return_to_registry(world.clerk, item)
    item.refresh_from_db()
    assert item.status == Status.IN_REGISTRY and not alerted(world)


def test_r_cr_6_api_lists_and_regularises(world, api):
    item = held(world)
    client = api(world.clerk)
    assert [h["carrier_id"] for h in client.get("imports/held").json()] == [item.pk]
    loan = approved(world, RequestKind.LOAN, [item], beneficiary=world.zhang)
    response = client.post(f"imports/held/{item.pk}/loan", {"request_id": loan.pk})
    assert response.status_code == 200, response.content
    assert client.get("imports/held").json() == []
    assert api(world.zhang).get("imports/held").status_code == 403


def test_page_offers_the_approved_loan(world):
    item = held(world)
    loan = approved(world, RequestKind.LOAN, [item], beneficiary=world.zhang)
    client = Client()
    client.force_login(world.clerk.user)
    page = client.get(reverse("imports:regularise")).content.decode()
    assert item.label in page and f"按审批单 #{loan.pk} 转为借出" in page
    response = client.post(reverse("imports:regularise"), {"carrier": item.pk, "request": loan.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.ON_LOAN
