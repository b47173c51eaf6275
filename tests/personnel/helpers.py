"""A personnel world: 办公室秘书科 headed by 孙定密, a new hire, and refusal checks that also
compare the personnel tables."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta

from django.utils import timezone

from baomi.org.models import CommitteeMember, ResponsibilityLetter, SecrecyOfficer
from baomi.personnel import actions as personnel
from baomi.personnel import organisation
from baomi.personnel.models import (
    ClearanceDecision,
    Commitment,
    Departure,
    Move,
    PersonnelNote,
    TrainingRecord,
    TravelAbroad,
    Vetting,
)
from tests import factories
from tests.factories import person

MODELS = (
    ClearanceDecision,
    Vetting,
    Commitment,
    TrainingRecord,
    Departure,
    Move,
    PersonnelNote,
    TravelAbroad,
    SecrecyOfficer,
    CommitteeMember,
    ResponsibilityLetter,
)


def personnel_state() -> dict:
    return {m._meta.label: list(m.objects.order_by("pk").values()) for m in MODELS}


@contextmanager
def refused(rule_id: str, **kwargs):
    """factories.refused (business rows, audit) plus every personnel row unchanged."""
    before = personnel_state()
    with factories.refused(rule_id, **kwargs) as info:
        yield info
    assert personnel_state() == before, "a refused action changed personnel data"


def today():
    return timezone.localdate()


def days(n: int):
    return today() + timedelta(days=n)


def with_head(w):
    """孙定密 heads 办公室秘书科 (ORG-2), so PER-2 proposals there have a checker."""
    organisation.set_department_head(w.system, w.office, w.classifier)
    w.office.refresh_from_db()
    return w


def hire(w, name="周新", username=""):
    """A new person in 办公室秘书科, not yet cleared."""
    return person(w.system, w.unit, name, w.office, "none", username)


def vet_and_commit(w, p, *, result="passed"):
    personnel.record_vetting(
        w.clerk, p, on=today(), result=result, findings="无异常", next_review_on=days(365)
    )
    personnel.sign_commitment(w.clerk, p, kind="on_post", signed_on=today(), text="我承诺……")


def clear(w, p, clearance="important", level="secret"):
    """PER-2, all three steps: 张三 proposes, 孙定密 checks, 钱领导 approves."""
    d = personnel.propose_clearance(
        w.zhang, p, clearance=clearance, highest_level=level, reason="岗位接触机密文件"
    )
    personnel.check_clearance(w.classifier, d)
    return personnel.approve_clearance(w.leader, d)
