"""PER-5, CR-13: leaving a classified post — the departure procedure, then the 脱密期 (which
may be extended)."""

from __future__ import annotations

from datetime import date

from baomi.audit.trail import record
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.org.models import Person
from baomi.personnel.actions._common import _business, _lock, _not_future, _text, _today
from baomi.personnel.choices import DepartureKind, DepartureStatus
from baomi.personnel.models import Departure
from baomi.personnel.rules import require_nothing_held, require_office


@action("departure.start")
def start_departure(
    actor: Person, person: Person, *, kind: str, end_date: date, reason: str
) -> Departure:
    """PER-5: open the departure procedure for a person leaving a classified post."""
    _business(actor, person)
    require_office(actor, person.unit_id, "办理离岗")
    person = _lock(person)
    if kind not in DepartureKind.values:
        raise Invalid("离岗类型无效。", {"kind": ["离岗类型无效"]})
    reason = _text(reason, "reason", "事由")
    if end_date is None or end_date < _today():
        raise Invalid("离岗日期不能早于今天。", {"end_date": ["离岗日期不能早于今天"]})
    if not person.active:
        raise InvalidState(f"{person.name}已离岗。", {"active": False})
    if person.departures.filter(status=DepartureStatus.OPEN).exists():
        raise InvalidState(f"{person.name}的离岗手续正在办理。", {"status": "open"})
    departure = Departure.objects.create(
        person=person,
        kind=kind,
        clearance=person.clearance,
        reason=reason,
        end_date=end_date,
        opened_by=actor,
    )
    record("departure.start", actor, departure, after=_departure_snapshot(departure))
    return departure


@action("departure.reminder_talk")
def record_reminder_talk(actor: Person, departure: Departure, *, on: date) -> Departure:
    """PER-5: the 离岗保密提醒谈话 was held."""
    departure = _open_departure(actor, departure)
    before = _departure_snapshot(departure)
    departure.reminder_talk_on = _not_future(on, "on", "谈话日期")
    departure.reminder_talk_by = actor
    departure.save(update_fields=["reminder_talk_on", "reminder_talk_by"])
    record(
        "departure.reminder_talk",
        actor,
        departure,
        before=before,
        after=_departure_snapshot(departure),
    )
    return departure


@action("departure.devices_returned")
def record_devices_returned(
    actor: Person, departure: Departure, *, on: date, note: str
) -> Departure:
    """PER-5: devices (computers, media, keys) returned — a confirmation until DEV exists."""
    departure = _open_departure(actor, departure)
    before = _departure_snapshot(departure)
    departure.devices_returned_on = _not_future(on, "on", "交回日期")
    departure.devices_note = _text(note, "note", "交回的设备（无则填“无”）")
    departure.save(update_fields=["devices_returned_on", "devices_note"])
    record(
        "departure.devices_returned",
        actor,
        departure,
        before=before,
        after=_departure_snapshot(departure),
    )
    return departure


@action("departure.complete")
def complete_departure(actor: Person, departure: Departure) -> Departure:
    """PER-5/CR-13: on the end date, with talk, 离岗承诺书, carriers and devices all done: access
    withdrawn (login disabled, not 在岗) and the 脱密期 set from the level by the unit setting."""
    departure = _open_departure(actor, departure)
    person = _lock(departure.person)
    if departure.reminder_talk_on is None:
        raise RuleViolation("PER-5", f"{person.name}尚未进行离岗保密提醒谈话（PER-5）。")
    if departure.commitment_id is None:
        raise RuleViolation("PER-5", f"{person.name}尚未签订离岗保密承诺书（PER-5）。")
    require_nothing_held(person)
    if departure.devices_returned_on is None:
        raise RuleViolation("PER-5", f"{person.name}的涉密设备尚未确认交回（PER-5）。")
    if departure.end_date > _today():
        raise InvalidState(
            f"离岗日期为 {departure.end_date}，届时才能撤销系统权限。",
            {"end_date": str(departure.end_date)},
        )
    before = _departure_snapshot(departure)
    years = person.unit.cooling_off_years_for(departure.clearance)
    departure.status = DepartureStatus.COMPLETED
    if years:
        departure.cooling_off_start = departure.end_date
        departure.cooling_off_end = _add_years(departure.end_date, years)
    departure.save()
    person.active = False
    person.on_cooling_off_until = departure.cooling_off_end
    person.save(update_fields=["active", "on_cooling_off_until"])
    if person.user_id:
        user = person.user
        user.is_active = False
        user.save(update_fields=["is_active"])
    person.api_tokens.filter(revoked=False).update(revoked=True)
    record(
        "departure.complete", actor, departure, before=before, after=_departure_snapshot(departure)
    )
    return departure


@action("departure.extend")
def extend_cooling_off(
    actor: Person, departure: Departure, *, until: date, reason: str
) -> Departure:
    """PER-5: the 脱密期 may be extended, with a reason."""
    departure = (
        Departure.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=departure.pk)
    )
    _business(actor, departure.person)
    require_office(actor, departure.person.unit_id, "延长脱密期")
    reason = _text(reason, "reason", "延长理由")
    if departure.status != DepartureStatus.COMPLETED or departure.cooling_off_end is None:
        raise InvalidState("该人员不在脱密期内。", {"status": departure.status})
    if until is None or until <= departure.cooling_off_end:
        raise Invalid("延长后的日期须晚于原脱密期止日。", {"until": ["须晚于原脱密期止日"]})
    before = _departure_snapshot(departure)
    departure.cooling_off_end = until
    departure.extension_reason = reason
    departure.save(update_fields=["cooling_off_end", "extension_reason"])
    person = _lock(departure.person)
    person.on_cooling_off_until = until
    person.save(update_fields=["on_cooling_off_until"])
    record(
        "departure.extend", actor, departure, before=before, after=_departure_snapshot(departure)
    )
    return departure


def _open_departure(actor: Person, departure: Departure) -> Departure:
    departure = (
        Departure.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=departure.pk)
    )
    _business(actor, departure.person)
    require_office(actor, departure.person.unit_id, "办理离岗")
    if departure.status != DepartureStatus.OPEN:
        raise InvalidState("离岗手续已办结。", {"status": departure.status})
    return departure


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _departure_snapshot(d: Departure) -> dict:
    def iso(v):
        return v.isoformat() if v else None

    return {
        "person": d.person_id,
        "kind": d.kind,
        "clearance": d.clearance,
        "status": d.status,
        "end_date": iso(d.end_date),
        "reminder_talk_on": iso(d.reminder_talk_on),
        "commitment": d.commitment_id,
        "devices_returned_on": iso(d.devices_returned_on),
        "cooling_off_start": iso(d.cooling_off_start),
        "cooling_off_end": iso(d.cooling_off_end),
    }
