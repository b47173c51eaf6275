"""Alerts left by a ledger import, for the unit's 保密员: carriers held by a person with no
approval (to be returned or lent on approval, CR-6) and carriers whose period had already
ended when imported (to be reviewed, CL-9). Counted in one query each."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from baomi.carriers.policies import is_clerk_of
from baomi.imports.selectors import held_without_approval
from baomi.lib.alerts import Alert, provider
from baomi.reclassification.selectors import awaiting_import_review


@provider
def import_leftovers(person, today: date) -> list[Alert]:
    if person is None or not is_clerk_of(person, person.unit_id):
        return []
    alerts = []
    held = held_without_approval(person.unit_id).count()
    if held:
        alerts.append(
            Alert(
                "import_held_unapproved",
                f"{held} 件导入载体按原台账由个人保管但无审批，请收回入库或办理借阅审批（CR-6）",
                reverse("imports:regularise"),
                "overdue",
                None,
                "CR-6",
            )
        )
    ended = len(awaiting_import_review(person.unit_id, today))
    if ended:
        alerts.append(
            Alert(
                "import_period_ended",
                f"{ended} 件导入载体的保密期限在导入前已届满，请审核解密（CL-9）",
                reverse("imports:regularise"),
                "overdue",
                None,
                "CL-9",
            )
        )
    return alerts
