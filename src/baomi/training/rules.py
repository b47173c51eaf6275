"""Who may do what in education (EDU-1, PER-4): the unit's 保密办 keeps sessions, the question
bank and exams; candidates take their own exams."""

from __future__ import annotations

from baomi.org.models import Person
from baomi.personnel.rules import is_office, require_office  # noqa: F401  (re-exported)


def is_business(person: Person | None) -> bool:
    return (
        person is not None
        and person.active
        and not person.has_system_role
        and not person.is_automation
    )


def keeps_training(person: Person | None, unit_id: int) -> bool:
    return is_business(person) and is_office(person, unit_id)
