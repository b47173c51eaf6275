"""The only writers of the 保密事项目录 (CL-7): publish an entry, revise it (a new version), retire
it. Kept by the unit's 定密责任人 and 保密办."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from baomi.audit.trail import record
from baomi.catalogue.models import CatalogueEntry
from baomi.classification.choices import Level, is_state_secret
from baomi.classification.periods import Period
from baomi.lib.actions import action
from baomi.lib.errors import Forbidden, Invalid, InvalidState
from baomi.org.models import Person
from baomi.personnel.rules import is_office


def may_keep(person: Person) -> bool:
    if person is None or person.has_system_role or not person.active or person.is_automation:
        return False
    return person.is_classifier or is_office(person, person.unit_id)


def _require_keeper(actor: Person) -> None:
    if not may_keep(actor):
        raise Forbidden("只有定密责任人或保密办可以维护保密事项目录。")


def _text(value: str, name: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(f"请填写{label}。", {name: [f"请填写{label}"]})
    if len(value) > limit:
        raise Invalid(f"{label}过长。", {name: [f"最多 {limit} 个字"]})
    return value


@dataclass
class EntryForm:
    code: str
    matter: str
    level: str
    period: Period | None
    scope: str
    source_document: str
    note: str = ""


def _fill(entry: CatalogueEntry, form: EntryForm) -> None:
    errors: dict[str, list[str]] = {}
    if form.level not in Level.values or not is_state_secret(form.level):
        errors["level"] = ["密级须为绝密、机密或秘密"]
    if form.period is None:
        errors["period"] = ["请填写保密期限"]
    if errors:
        raise Invalid("目录条目有误。", errors)
    entry.matter = _text(form.matter, "matter", "保密事项", 300)
    entry.level = form.level
    entry.period_kind = form.period.kind.value
    entry.period_years = form.period.years
    entry.period_months = form.period.months
    entry.period_until = form.period.until
    entry.period_condition = form.period.condition or ""
    entry.scope = _text(form.scope, "scope", "知悉范围", 300)
    entry.source_document = _text(form.source_document, "source_document", "依据文件", 300)
    entry.note = _text(form.note, "note", "修订说明", 500, required=False)


def _snapshot(entry: CatalogueEntry) -> dict:
    return {
        "code": entry.code,
        "version": entry.version,
        "level": entry.level,
        "period": entry.period.to_dict(),
        "current": entry.current,
    }


@action("catalogue.publish")
def publish_entry(actor: Person, form: EntryForm) -> CatalogueEntry:
    """A new matter in the catalogue (version 1)."""
    _require_keeper(actor)
    code = _text(form.code, "code", "条目编号", 20)
    if CatalogueEntry.objects.filter(unit=actor.unit, code=code).exists():
        raise Invalid("条目编号已存在。", {"code": ["已有此编号，请修订该条目"]})
    entry = CatalogueEntry(
        unit=actor.unit, code=code, version=1, created_by=actor, created_at=timezone.now()
    )
    _fill(entry, form)
    entry.save()
    record("catalogue.publish", actor, entry, after=_snapshot(entry))
    return entry


@action("catalogue.revise")
def revise_entry(actor: Person, entry: CatalogueEntry, form: EntryForm) -> CatalogueEntry:
    """A new version of the entry; the previous one stays, no longer current."""
    _require_keeper(actor)
    entry = CatalogueEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.current or entry.unit_id != actor.unit_id:
        raise InvalidState("只能修订现行条目。", {"current": entry.current})
    entry.current = False
    entry.save(update_fields=["current"])
    revised = CatalogueEntry(
        unit=entry.unit,
        code=entry.code,
        version=entry.version + 1,
        created_by=actor,
        created_at=timezone.now(),
    )
    _fill(revised, form)
    if not revised.note:
        raise Invalid("请填写修订说明。", {"note": ["请填写修订说明"]})
    revised.save()
    record("catalogue.revise", actor, revised, before=_snapshot(entry), after=_snapshot(revised))
    return revised


@action("catalogue.retire")
def retire_entry(actor: Person, entry: CatalogueEntry, *, note: str) -> CatalogueEntry:
    """The matter is no longer secret by this catalogue; its history stays."""
    _require_keeper(actor)
    entry = CatalogueEntry.objects.select_for_update().get(pk=entry.pk)
    if not entry.current:
        raise InvalidState("条目已不是现行版本。", {"current": False})
    entry.note = _text(note, "note", "废止说明", 500)
    entry.current, entry.retired = False, True
    entry.save(update_fields=["note", "current", "retired"])
    record("catalogue.retire", actor, entry, after=_snapshot(entry))
    return entry
