"""The demo office itself: its organisation (units, departments, people, places), the
registration of ~300 carriers, and the request helpers the other demo loaders use."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind
from baomi.carriers import actions as carriers
from baomi.carriers.choices import CarrierKind, Source
from baomi.carriers.models import Carrier, Place
from baomi.carriers.registration import Registration
from baomi.classification.choices import Level
from baomi.classification.periods import Period
from baomi.org import actions as org
from baomi.org.models import Department, Person, Unit
from baomi.web.demo.custody import _PAPER, drive
from baomi.web.demo_data import (
    CATALOG_BASIS,
    DEMO_PASSWORD,
    DEPARTMENTS,
    GENRES,
    ISSUERS,
    MEDIA_TITLES,
    OWN_ISSUER,
    OWN_PREFIX,
    PEOPLE,
    PLACES,
    PROVINCE_CODE,
    PROVINCE_NAME,
    SUBJECT_SCOPES,
    SUBJECTS,
    TITLES,
    UNIT_CODE,
    UNIT_NAME,
    PersonSpec,
)


@dataclass
class DemoAccount:
    username: str
    name: str
    role: str
    clearance: str


class _Demo:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.today = timezone.localdate()
        self.numbers: Counter[str] = Counter()
        self.people: dict[str, Person] = {}
        self.departments: dict[str, Department] = {}
        self.places: dict[str, Place] = {}
        self.accounts: list[DemoAccount] = []
        self._readers: dict[int, list[Person]] = {}

    # -- organisation ---------------------------------------------------------------------------

    def build(self) -> None:
        self.build_organisation()
        registered = self.register_all()
        drive(self, registered)

    def build_organisation(self) -> None:
        # Bootstrap: the root unit exists before anyone can act for it.
        province = Unit.objects.filter(code=PROVINCE_CODE).first() or Unit.objects.create(
            name=PROVINCE_NAME, code=PROVINCE_CODE, classification_authority=Level.TOP_SECRET
        )
        self.unit = org.create_unit(
            org.automation_actor(province),
            name=UNIT_NAME,
            code=UNIT_CODE,
            parent=province,
            classification_authority=Level.SECRET,
        )
        system = self.system = org.automation_actor(self.unit)
        for name in DEPARTMENTS:
            self.departments[name] = org.create_department(system, self.unit, name=name)
        for name, kind in PLACES:
            # No place action exists yet; places are registry furniture, not business state.
            self.places[name] = Place.objects.create(unit=self.unit, name=name, kind=kind)
        for spec in PEOPLE:
            self.people[spec.key] = self.create_person(spec)
        for kind in RequestKind.values:
            org.grant_approval_authority(system, self.people["leader"], kind, Level.TOP_SECRET)

    def create_person(self, spec: PersonSpec) -> Person:
        system = self.system
        person = org.create_person(
            system,
            self.unit,
            name=spec.name,
            department=self.departments.get(spec.department),
            post=spec.post,
            username=spec.username,
            password=DEMO_PASSWORD if spec.username else "",
            # The demo's accounts are meant to be tried as they are (the README prints them).
            must_change_password=False,
        )
        if spec.system_role:
            person = org.assign_system_role(system, person, spec.system_role)
        else:
            if spec.clearance != "none":
                person = org.set_clearance(system, person, spec.clearance)
            for role in spec.roles:
                person = org.grant_role(system, person, role)
        if spec.username:
            self.accounts.append(
                DemoAccount(
                    spec.username, spec.name, spec.role_text, person.get_clearance_display()
                )
            )
        return person

    # -- registration ---------------------------------------------------------------------------

    def doc_number(self, prefix: str) -> str:
        self.numbers[prefix] += self.rng.randint(1, 9)
        return f"{prefix}〔2026〕{self.numbers[prefix]}号"

    def doc_date(self) -> date:
        start = date(self.today.year, 1, 5)
        span = max((self.today - start).days - 3, 1)
        return start + timedelta(days=self.rng.randint(0, span))

    def register(self, **fields) -> list[Carrier]:
        clerk = self.people["clerk"]
        fields.setdefault("doc_date", self.doc_date())
        return carriers.register(clerk, Registration(**fields))

    def storage(self, level: str, kind: str) -> Place:
        if level == Level.TOP_SECRET or kind == CarrierKind.TELEGRAM:
            return self.places[self.rng.choice(("机要室保险柜1号", "机要室保险柜2号"))]
        return self.places[self.rng.choice(("机要室文件柜A", "机要室文件柜B"))]

    def scope(self, names) -> list[Department]:
        return [self.departments[n] for n in names]

    def register_all(self) -> list[Carrier]:
        made: list[Carrier] = []
        made += self.register_top_secret()
        for index in range(170):
            made += self.register_received(index)
        for index in range(45):
            made += self.register_produced(index)
        return made

    def register_top_secret(self) -> list[Carrier]:
        """A few 绝密 items, received from above, named readers only, in the safes (CR-5, CR-15)."""
        readers = [self.people["leader"], self.people["director"]]
        specs = (
            (
                "关于重大军事设施保护范围划定的通知",
                CarrierKind.DOCUMENT,
                "国务院办公厅",
                "国办发",
                2,
            ),
            (
                "关于边界勘定工作有关问题的密码电报",
                CarrierKind.TELEGRAM,
                "中共XX省委办公厅",
                "X委密电",
                1,
            ),
            (
                "国家重大战略物资储备布局方案",
                CarrierKind.DOCUMENT,
                "XX省发展和改革委员会",
                "X发改密",
                1,
            ),
            (
                "关于重大突发事件应急处置工作的指示",
                CarrierKind.TELEGRAM,
                "国务院办公厅",
                "国办密电",
                1,
            ),
            ("重要目标防护数据光盘", CarrierKind.OPTICAL_DISC, "XX省自然资源厅", "X自然资密", 1),
        )
        made = []
        for title, kind, issuer, prefix, copies in specs:
            made += self.register(
                kind=kind,
                title=title,
                level=Level.TOP_SECRET,
                source=Source.RECEIVED,
                place=self.storage(Level.TOP_SECRET, kind),
                copies=copies,
                issuer=issuer,
                doc_number=self.doc_number(prefix),
                pages=self.rng.randint(2, 12),
                scope_people=readers,
            )
        return made

    def pick_kind(self) -> str:
        return self.rng.choices(
            (
                CarrierKind.DOCUMENT,
                CarrierKind.TELEGRAM,
                CarrierKind.MEETING_PAPER,
                CarrierKind.USB_DRIVE,
                CarrierKind.OPTICAL_DISC,
                CarrierKind.HARD_DISK,
                CarrierKind.NOTEBOOK,
            ),
            weights=(70, 8, 8, 5, 5, 2, 2),
        )[0]

    def title_for(self, index: int, kind: str) -> tuple[str, tuple[str, ...]]:
        if kind in MEDIA_TITLES:
            return self.rng.choice(MEDIA_TITLES[kind]), self.rng.choice(SUBJECT_SCOPES)
        if index < len(TITLES):
            return TITLES[index]
        subject = SUBJECTS[index % len(SUBJECTS)]
        genre = GENRES[(index // len(SUBJECTS) + index) % len(GENRES)]
        title = f"关于{subject}工作的{genre}"
        if kind == CarrierKind.TELEGRAM:
            title = f"关于{subject}工作的电报"
        return title, SUBJECT_SCOPES[index % len(SUBJECT_SCOPES)]

    def register_received(self, index: int) -> list[Carrier]:
        kind = self.pick_kind()
        level = self.rng.choices(
            (Level.SECRET, Level.CONFIDENTIAL, Level.INTERNAL), weights=(38, 44, 18)
        )[0]
        if kind == CarrierKind.TELEGRAM and level == Level.INTERNAL:
            level = Level.CONFIDENTIAL
        title, scope = self.title_for(index, kind)
        issuer, prefix = self.rng.choice(ISSUERS)
        if kind == CarrierKind.TELEGRAM:
            prefix = prefix.replace("发", "") + "密电"
        copies = self.rng.choices((1, 2, 3, 5), weights=(80, 10, 7, 3))[0]
        return self.register(
            kind=kind,
            title=title,
            level=level,
            source=Source.RECEIVED,
            place=self.storage(level, kind),
            copies=copies,
            issuer=issuer,
            doc_number=self.doc_number(prefix) if kind != CarrierKind.NOTEBOOK else "",
            pages=self.rng.randint(1, 40) if kind in _PAPER else 1,
            scope_departments=self.scope(scope),
            no_copy=self.rng.random() < 0.05,
        )

    def register_produced(self, index: int) -> list[Carrier]:
        """本单位制发: the 定密责任人 decides, the 保密员 reviews the marking (CL-10, CL-11)."""
        kind = self.rng.choices(
            (CarrierKind.DOCUMENT, CarrierKind.MEETING_PAPER, CarrierKind.USB_DRIVE),
            weights=(80, 12, 8),
        )[0]
        level = self.rng.choices(
            (Level.SECRET, Level.CONFIDENTIAL, Level.INTERNAL), weights=(25, 45, 30)
        )[0]
        period = {
            Level.SECRET: Period.of_years(self.rng.choice((5, 10, 20))),
            Level.CONFIDENTIAL: Period.of_years(self.rng.choice((3, 5, 10))),
            Level.INTERNAL: None,
        }[level]
        if index == 0:
            level, period = Level.CONFIDENTIAL, Period.on_condition("启用前")
        title, scope = self.title_for(len(TITLES) + index * 7, kind)
        if index == 0:
            title, scope = "2026年度全市保密知识竞赛试题（启用前）", ("办公室秘书科", "机要室")
        return self.register(
            kind=kind,
            title=title,
            level=level,
            source=Source.PRODUCED,
            period=period,
            place=self.storage(level, kind),
            copies=self.rng.choices((1, 2, 4), weights=(75, 15, 10))[0],
            issuer=OWN_ISSUER,
            doc_number=self.doc_number(OWN_PREFIX),
            pages=self.rng.randint(1, 25),
            basis=CATALOG_BASIS.format(n=self.rng.randint(1, 18)),
            classifier=self.people["classifier"],
            marking_reviewer=self.people["clerk"],
            scope_departments=self.scope(scope),
        )

    # -- requests -------------------------------------------------------------------------------

    def readers_of(self, carrier: Carrier) -> list[Person]:
        """People who may hold it — `policies.may_hold`, computed from the scope read once (the
        actions check again) — never the clerks, nor the leader who approves (APR-1)."""
        if carrier.pk not in self._readers:
            named = set(carrier.scope_people.values_list("pk", flat=True))
            departments = set(carrier.scope_departments.values_list("pk", flat=True))
            self._readers[carrier.pk] = [
                p
                for k, p in self.people.items()
                if k not in ("clerk", "clerk2", "leader")
                and not p.has_system_role
                and p.active
                and p.covers(carrier.level)
                and (p.pk in named or p.department_id in departments)
            ]
        return self._readers[carrier.pk]

    def request(
        self,
        kind: str,
        carrier: Carrier,
        person: Person,
        *,
        due: date | None = None,
        copies: int | None = None,
        reason: str = "工作需要",
        destination: str = "",
        **extra,
    ):
        form = approvals.RequestForm(
            kind=kind,
            carriers=[carrier],
            reason=reason,
            approver=self.people["leader"],
            due_date=due,
            copies=copies,
            destination=destination,
            **extra,
        )
        return approvals.create_request(person, form)

    def approved(self, kind: str, carrier: Carrier, person: Person, **kwargs):
        request = self.request(kind, carrier, person, **kwargs)
        return approvals.approve(self.people["leader"], request, comment="同意")
