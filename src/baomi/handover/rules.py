"""CR-13 guard for personnel changes: nobody leaves a post while holding carriers."""

from __future__ import annotations

from django.db.models import QuerySet

from baomi.carriers.models import Carrier
from baomi.carriers.selectors import holdings_of
from baomi.lib.errors import RuleViolation
from baomi.org.models import Person


def carriers_held_by(person: Person) -> QuerySet[Carrier]:
    """Everything the person holds right now (circulated, lent, taken out)."""
    return holdings_of(person)


def require_nothing_held(person: Person, doing: str = "调离岗位") -> None:
    """CR-13: refuse while the person holds anything, listing what they hold."""
    labels = [c.label for c in carriers_held_by(person)]
    if labels:
        raise RuleViolation(
            "CR-13",
            f"{person.name}仍持有 {len(labels)} 件涉密载体：{'、'.join(labels)}，须先办理交接或归还，"
            f"才能{doing}（CR-13：不得信任交接）。",
            {"carriers": labels},
        )
