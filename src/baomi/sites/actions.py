"""The only writers of the key-place ledgers (SITE-1…4): sites, visitors, keys, closing checks.
Each takes the acting person first and runs in one transaction with its audit row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone

from baomi.audit.trail import record
from baomi.carriers.models import Place
from baomi.classification.choices import Level
from baomi.lib.actions import action
from baomi.lib.errors import Invalid, InvalidState, RuleViolation
from baomi.org.models import Department, Person
from baomi.sites.choices import CHECK_ITEMS, CheckKind, IdKind, KeyEventKind, KeyKind, SiteKind
from baomi.sites.models import ClosingCheck, KeyEvent, KeySite, SiteKey, Visit
from baomi.sites.rules import is_site_staff, require_ledger_keeper, require_site_worker

FACILITIES = ("iron_door", "iron_window", "safe", "alarm", "cctv", "fire_protection")


def _text(value: str, name: str, label: str, limit: int, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(f"请填写{label}。", {name: [f"请填写{label}"]})
    if len(value) > limit:
        raise Invalid(f"{label}过长。", {name: [f"最多 {limit} 个字"]})
    return value


def _business(person: Person | None, unit_id: int, name: str, label: str) -> Person:
    if (
        person is None
        or person.unit_id != unit_id
        or person.has_system_role
        or person.is_automation
        or not person.active
    ):
        raise Invalid(
            f"{label}须为本单位在岗业务人员。", {name: [f"{label}须为本单位在岗业务人员"]}
        )
    return person


# --- 要害部门部位 (SITE-1) ------------------------------------------------------------------------


@dataclass
class SiteForm:
    name: str
    kind: str
    level: str
    responsible: Person
    department: Department | None = None
    location: str = ""
    staff: list[Person] = field(default_factory=list)
    places: list[Place] = field(default_factory=list)
    facilities: dict[str, bool] = field(default_factory=dict)
    facilities_note: str = ""


def _site_snapshot(site: KeySite) -> dict:
    return {
        "name": site.name,
        "kind": site.kind,
        "level": site.level,
        "responsible": site.responsible_id,
        "staff": sorted(site.staff.values_list("pk", flat=True)) if site.pk else [],
        "places": sorted(site.places.values_list("pk", flat=True)) if site.pk else [],
        "facilities": site.facilities,
        "active": site.active,
    }


def _apply(actor: Person, site: KeySite, form: SiteForm) -> tuple[list[Person], list[Place]]:
    errors: dict[str, list[str]] = {}
    if form.kind not in SiteKind.values:
        errors["kind"] = ["类别无效"]
    if form.level not in Level.values or form.level == Level.PUBLIC:
        errors["level"] = ["请选择涉密程度"]
    unknown = set(form.facilities) - set(FACILITIES)
    if unknown:
        errors["facilities"] = [f"未知设施：{'、'.join(sorted(unknown))}"]
    if errors:
        raise Invalid("要害部位信息有误。", errors)
    site.name = _text(form.name, "name", "名称", 100)
    site.kind, site.level = form.kind, form.level
    site.location = _text(form.location, "location", "位置", 200, required=False)
    site.facilities_note = _text(
        form.facilities_note, "facilities_note", "设施说明", 500, required=False
    )
    site.responsible = _business(form.responsible, actor.unit_id, "responsible_id", "责任人")
    if not site.responsible.covers(form.level):
        raise RuleViolation(
            "PER-1",
            f"{site.responsible.name}的涉密等级为“{site.responsible.get_clearance_display()}”，"
            f"不能担任{Level(form.level).label}要害部位的责任人（PER-1、SITE-1）。",
        )
    if form.department is not None and form.department.unit_id != actor.unit_id:
        raise Invalid("部门不属于本单位。", {"department_id": ["部门不属于本单位"]})
    site.department = form.department
    for name in FACILITIES:
        setattr(site, name, bool(form.facilities.get(name, getattr(site, name))))
    staff = list(dict.fromkeys(form.staff))
    for person in staff:
        _business(person, actor.unit_id, "staff", "工作人员")
        if not person.covers(form.level):
            raise RuleViolation(
                "PER-1",
                f"{person.name}的涉密等级为“{person.get_clearance_display()}”，不能作为"
                f"{Level(form.level).label}要害部位的工作人员自由出入（PER-1、SITE-2）。",
            )
    places = list(dict.fromkeys(form.places))
    if any(p.unit_id != actor.unit_id for p in places):
        raise Invalid("存放位置不属于本单位。", {"places": ["存放位置不属于本单位"]})
    return staff, places


@action("site.create")
def create_site(actor: Person, form: SiteForm) -> KeySite:
    """登记要害部门部位 with its responsible person, staff, facilities and places (SITE-1)."""
    require_ledger_keeper(actor, actor.unit_id, "登记要害部门部位")
    site = KeySite(unit=actor.unit, created_at=timezone.now())
    staff, places = _apply(actor, site, form)
    if KeySite.objects.filter(unit=actor.unit, name=site.name).exists():
        raise Invalid("名称已存在。", {"name": ["本单位已有同名要害部位"]})
    site.save()
    site.staff.set(staff)
    site.places.set(places)
    record("site.create", actor, site, after=_site_snapshot(site))
    return site


@action("site.update")
def update_site(actor: Person, site: KeySite, form: SiteForm, *, active: bool = True) -> KeySite:
    """Change a site's people, facilities or places; `active=False` retires it (history kept)."""
    require_ledger_keeper(actor, site.unit_id, "修改要害部门部位")
    site = KeySite.objects.select_for_update().get(pk=site.pk)
    before = _site_snapshot(site)
    staff, places = _apply(actor, site, form)
    if KeySite.objects.filter(unit_id=site.unit_id, name=site.name).exclude(pk=site.pk).exists():
        raise Invalid("名称已存在。", {"name": ["本单位已有同名要害部位"]})
    site.active = bool(active)
    site.save()
    site.staff.set(staff)
    site.places.set(places)
    record("site.update", actor, site, before=before, after=_site_snapshot(site))
    return site


# --- 来访登记 (SITE-2) -----------------------------------------------------------------------------


@dataclass
class VisitForm:
    visitor_name: str
    organisation: str
    id_kind: str
    id_number: str
    id_checked: bool
    purpose: str
    host: Person | None
    escort: Person | None
    entered_at: datetime | None = None


@action("visit.admit")
def admit_visitor(actor: Person, site: KeySite, form: VisitForm) -> Visit:
    """SITE-2: a visitor enters only with identity checked and an escort from the place's own
    people; the register keeps host, purpose and times."""
    require_site_worker(actor, site, "登记来访")
    if not site.active:
        raise InvalidState(f"{site.name}已停用。", {"active": False})
    if form.escort is None:
        raise RuleViolation(
            "SITE-2",
            f"来访人员须有陪同人，无人陪同不得进入{site.name}（SITE-2：外来人员须登记并由本部位人员陪同）。",
        )
    if not form.id_checked:
        raise RuleViolation(
            "SITE-2", f"未核验来访人员身份证件，不得进入{site.name}（SITE-2：须核验身份）。"
        )
    if not is_site_staff(form.escort, site):
        raise RuleViolation(
            "SITE-2",
            f"{form.escort.name}不是{site.name}的责任人或工作人员，不能担任陪同人"
            "（SITE-2：由本部位人员全程陪同）。",
        )
    if form.id_kind not in IdKind.values:
        raise Invalid("证件类型无效。", {"id_kind": ["证件类型无效"]})
    host = _business(form.host, site.unit_id, "host_id", "接待人")
    entered_at = form.entered_at or timezone.now()
    if entered_at > timezone.now():
        raise Invalid("进入时间不能晚于现在。", {"entered_at": ["不能晚于现在"]})
    visit = Visit.objects.create(
        site=site,
        visitor_name=_text(form.visitor_name, "visitor_name", "来访人姓名", 50),
        organisation=_text(form.organisation, "organisation", "来访单位", 100),
        id_kind=form.id_kind,
        id_number=_text(form.id_number, "id_number", "证件号码", 40),
        id_checked=True,
        purpose=_text(form.purpose, "purpose", "事由", 200),
        host=host,
        escort=form.escort,
        entered_at=entered_at,
        registered_by=actor,
    )
    record(
        "visit.admit",
        actor,
        visit,
        after={"site": site.pk, "host": host.pk, "escort": form.escort.pk, "id_checked": True},
    )
    return visit


@action("visit.sign_out")
def sign_out_visitor(actor: Person, visit: Visit, *, left_at: datetime | None = None) -> Visit:
    """The visitor leaves: time out recorded."""
    visit = Visit.objects.select_for_update(of=("self",)).select_related("site").get(pk=visit.pk)
    require_site_worker(actor, visit.site, "登记离开")
    if visit.left_at is not None:
        raise InvalidState("已登记离开。", {"left_at": visit.left_at.isoformat()})
    left_at = left_at or timezone.now()
    if left_at < visit.entered_at or left_at > timezone.now():
        raise Invalid("离开时间有误。", {"left_at": ["须在进入时间之后、现在之前"]})
    visit.left_at = left_at
    visit.save(update_fields=["left_at"])
    record("visit.sign_out", actor, visit, after={"left_at": left_at.isoformat()})
    return visit


# --- 钥匙 (SITE-4) ---------------------------------------------------------------------------------


def _key_event(actor, key: SiteKey, kind: str, before: Person | None, note: str = "") -> None:
    KeyEvent.objects.create(
        key=key,
        kind=kind,
        at=timezone.now(),
        actor=actor,
        holder_before=before,
        holder_after=key.holder,
        note=note[:500],
    )
    record(
        f"key.{kind}",
        actor,
        key,
        before={"holder": getattr(before, "pk", None)},
        after={"holder": key.holder_id, "lost": key.lost, "copies": key.copies},
    )


def _require_keyholder(site: KeySite, person: Person) -> None:
    """SITE-4: keys are kept by named people of the place."""
    if not is_site_staff(person, site):
        raise RuleViolation(
            "SITE-4",
            f"{person.name}不是{site.name}的责任人或工作人员，不能保管其钥匙（SITE-4：钥匙由指定人员保管）。",
        )


@action("key.register")
def register_key(
    actor: Person,
    site: KeySite,
    *,
    name: str,
    kind: str,
    holder: Person,
    place: Place | None = None,
    copies: int = 1,
) -> SiteKey:
    require_ledger_keeper(actor, site.unit_id, "登记钥匙")
    if kind not in KeyKind.values:
        raise Invalid("类别无效。", {"kind": ["类别无效"]})
    if not 1 <= copies <= 20:
        raise Invalid("把数须在 1 到 20 之间。", {"copies": ["把数须在 1 到 20 之间"]})
    if place is not None and place.unit_id != site.unit_id:
        raise Invalid("存放位置不属于本单位。", {"place_id": ["存放位置不属于本单位"]})
    name = _text(name, "name", "钥匙名称", 100)
    if site.keys.filter(name=name).exists():
        raise Invalid("名称已存在。", {"name": ["该部位已有同名钥匙"]})
    _require_keyholder(site, holder)
    key = SiteKey.objects.create(
        site=site, name=name, kind=kind, place=place, holder=holder, copies=copies
    )
    _key_event(actor, key, KeyEventKind.ISSUE, None)
    return key


def _locked_key(key: SiteKey) -> SiteKey:
    return SiteKey.objects.select_for_update(of=("self",)).select_related("site").get(pk=key.pk)


@action("key.handover")
def hand_over_key(actor: Person, key: SiteKey, receiver: Person, *, note: str = "") -> SiteKey:
    """SITE-4: a key changes hands with the post, recorded (who from, who to, when)."""
    key = _locked_key(key)
    require_site_worker(actor, key.site, "移交钥匙")
    if key.retired or key.lost:
        raise InvalidState("钥匙已停用或丢失，不能移交。", {"lost": key.lost})
    if receiver.pk == key.holder_id:
        raise Invalid("接收人就是当前保管人。", {"receiver_id": ["接收人就是当前保管人"]})
    _require_keyholder(key.site, receiver)
    before = key.holder
    key.holder = receiver
    key.save(update_fields=["holder"])
    _key_event(actor, key, KeyEventKind.HANDOVER, before, note)
    return key


@action("key.lost")
def report_key_lost(actor: Person, key: SiteKey, *, note: str) -> SiteKey:
    """SITE-4: a lost key is recorded at once (the lock is then changed: retire and register)."""
    key = _locked_key(key)
    require_site_worker(actor, key.site, "报告钥匙丢失")
    if key.lost:
        raise InvalidState("已报告丢失。", {"lost": True})
    key.lost = True
    key.save(update_fields=["lost"])
    _key_event(actor, key, KeyEventKind.LOST, key.holder, _text(note, "note", "丢失经过", 500))
    return key


@action("key.copied")
def record_key_copy(actor: Person, key: SiteKey, *, copies: int, note: str) -> SiteKey:
    """SITE-4: a copy of a key is recorded (how many there are now, and why)."""
    key = _locked_key(key)
    require_ledger_keeper(actor, key.site.unit_id, "登记钥匙复制")
    if not 1 <= copies <= 20:
        raise Invalid("把数须在 1 到 20 之间。", {"copies": ["把数须在 1 到 20 之间"]})
    key.copies = copies
    key.save(update_fields=["copies"])
    _key_event(actor, key, KeyEventKind.COPIED, key.holder, _text(note, "note", "复制原因", 500))
    return key


# --- 下班检查 (SITE-3) -----------------------------------------------------------------------------


@action("closing_check.record")
def record_closing_check(
    actor: Person,
    site: KeySite,
    *,
    items: dict[str, bool],
    kind: str = CheckKind.DAILY,
    day: date | None = None,
    holiday: str = "",
    note: str = "",
) -> ClosingCheck:
    """SITE-3: the last person out records power, alarm, windows, doors and safes; anything not
    in order needs a note (it is then on the 保密员's alerts)."""
    require_site_worker(actor, site, "登记下班检查")
    # Two people at the door at once: one check per site, day and kind (the second is told).
    site = KeySite.objects.select_for_update().get(pk=site.pk)
    today = timezone.localdate()
    day = day or today
    errors: dict[str, list[str]] = {}
    if kind not in CheckKind.values:
        errors["kind"] = ["类别无效"]
    if day > today:
        errors["day"] = ["日期不能晚于今天"]
    unknown = set(items) - {name for name, _ in CHECK_ITEMS}
    if unknown:
        errors["items"] = [f"未知检查项：{'、'.join(sorted(unknown))}"]
    note = (note or "").strip()
    failed = [label for name, label in CHECK_ITEMS if not items.get(name)]
    if failed and not note:
        errors["note"] = [f"{'、'.join(failed)}未确认：请说明情况"]
    if kind == CheckKind.HOLIDAY and not (holiday or "").strip():
        errors["holiday"] = ["请填写节假日名称"]
    if len(note) > 500:
        errors["note"] = ["最多 500 个字"]
    if errors:
        raise Invalid("检查登记有误。", errors)
    if ClosingCheck.objects.filter(site=site, day=day, kind=kind).exists():
        raise InvalidState(
            f"{site.name} {day} 的{CheckKind(kind).label}已登记。", {"day": day.isoformat()}
        )
    check = ClosingCheck.objects.create(
        site=site,
        day=day,
        kind=kind,
        holiday=(holiday or "").strip()[:50],
        checked_by=actor,
        checked_at=timezone.now(),
        note=note,
        **{name: bool(items.get(name)) for name, _ in CHECK_ITEMS},
    )
    record(
        "closing_check.record",
        actor,
        check,
        after={"site": site.pk, "day": day.isoformat(), "kind": kind, "problems": failed},
    )
    return check
