"""PER-3, PER-4: 保密审查 (vetting), signed 保密承诺书 and training attended."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from baomi.audit.trail import record
from baomi.lib.actions import action
from baomi.lib.errors import Invalid
from baomi.org.models import Person
from baomi.personnel.actions._common import _business, _not_future, _text
from baomi.personnel.choices import CommitmentKind, DepartureStatus, VettingResult
from baomi.personnel.models import Commitment, TrainingRecord, Vetting
from baomi.personnel.rules import require_office


@action("vetting.record")
def record_vetting(
    actor: Person,
    person: Person,
    *,
    on: date,
    result: str,
    findings: str = "",
    next_review_on: date | None = None,
) -> Vetting:
    """PER-3: 审查 with its result, and the date of the next periodic re-review (条例50)."""
    _business(actor, person)
    require_office(actor, person.unit_id, "记录保密审查")
    on = _not_future(on, "on", "审查日期")
    if result not in VettingResult.values:
        raise Invalid("审查结论无效。", {"result": ["可选值：passed、failed"]})
    if next_review_on is not None and next_review_on <= on:
        raise Invalid("复审日期须晚于审查日期。", {"next_review_on": ["须晚于审查日期"]})
    vetting = Vetting.objects.create(
        person=person,
        on=on,
        reviewer=actor,
        findings=(findings or "").strip(),
        result=result,
        next_review_on=next_review_on,
    )
    record(
        "vetting.record",
        actor,
        vetting,
        after={"person": person.pk, "on": on.isoformat(), "result": result},
    )
    return vetting


@action("commitment.sign")
def sign_commitment(
    actor: Person, person: Person, *, kind: str, signed_on: date, text: str = ""
) -> Commitment:
    """ORG-3/PER-3: a signed 保密承诺书 (or 离岗/调动后 commitment) with its date."""
    _business(actor, person)
    require_office(actor, person.unit_id, "登记保密承诺书")
    if kind not in CommitmentKind.values:
        raise Invalid("承诺书类型无效。", {"kind": ["承诺书类型无效"]})
    signed_on = _not_future(signed_on, "signed_on", "签订日期")
    commitment = Commitment.objects.create(
        person=person, kind=kind, signed_on=signed_on, text=(text or "").strip(), recorded_by=actor
    )
    if kind == CommitmentKind.DEPARTURE:
        open_departure = person.departures.filter(status=DepartureStatus.OPEN).first()
        if open_departure is not None:
            open_departure.commitment = commitment
            open_departure.save(update_fields=["commitment"])
    record(
        "commitment.sign",
        actor,
        commitment,
        after={"person": person.pk, "kind": kind, "signed_on": signed_on.isoformat()},
    )
    return commitment


@action("training.record")
def record_training(
    actor: Person,
    person: Person,
    *,
    on: date,
    hours,
    subject: str,
    score: int | None = None,
) -> TrainingRecord:
    """PER-4: a training session attended, with its hours and exam score."""
    _business(actor, person)
    require_office(actor, person.unit_id, "登记保密培训")
    on = _not_future(on, "on", "培训日期")
    subject = _text(subject, "subject", "培训内容", 200)
    try:
        hours = Decimal(str(hours))
    except (InvalidOperation, ValueError):
        raise Invalid("学时无效。", {"hours": ["学时须为数字"]}) from None
    if not (Decimal("0") < hours <= Decimal("100")):
        raise Invalid("学时无效。", {"hours": ["学时须在 0 到 100 之间"]})
    if score is not None and not (0 <= score <= 100):
        raise Invalid("成绩无效。", {"score": ["成绩须在 0 到 100 之间"]})
    training = TrainingRecord.objects.create(
        person=person, on=on, hours=hours, subject=subject, score=score, recorded_by=actor
    )
    record(
        "training.record",
        actor,
        training,
        after={"person": person.pk, "on": on.isoformat(), "hours": str(hours), "score": score},
    )
    return training
