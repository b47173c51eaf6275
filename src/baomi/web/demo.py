"""The demo data behind `baomi demo`: one city office with people, places and ~300 carriers.

Everything past the bootstrap goes through the actions, so every carrier has the custody and audit
history a real one would have: registered, circulated (some acknowledged), lent and taken out
against approved requests, copied (a 绝密 copy with the issuer's consent), relocated, amended,
voided, reported lost. Loans cannot be made overdue honestly — nothing can be registered or lent in
the past — so a few are due today and tomorrow instead; they turn overdue by themselves.

The bootstrap writes two things directly, because no action exists for them yet: the root unit
(there is nobody to act for it before it exists) and the registry's places.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
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


@dataclass
class DemoResult:
    created: bool
    accounts: list[DemoAccount] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)
    carriers: int = 0


def demo_exists() -> bool:
    return (
        Unit.objects.filter(code=UNIT_CODE).exists() or Unit.objects.filter(name=UNIT_NAME).exists()
    )


def load_personnel_demo(demo) -> None:
    """涉密人员 and the secrecy organisation (personnel/demo.py)."""
    from baomi.personnel.demo import load_personnel_demo as load

    load(demo)


def load_stocktake_demo(demo) -> None:
    """清查, 密级变更 and 通知 (stocktake/demo.py)."""
    from baomi.stocktake.demo import load_stocktake_demo as load

    load(demo)


def load_dispatch_demo(demo) -> None:
    """发文, 清退, 传阅单 and the default approval paths (dispatch/demo.py)."""
    from baomi.dispatch.demo import load_dispatch_demo as load

    load(demo)


def load_demo(seed: int = 2026) -> DemoResult:
    """Create the demo office, all or nothing; does nothing when it exists already."""
    if demo_exists():
        return DemoResult(created=False)
    with transaction.atomic():
        demo = _Demo(random.Random(seed))
        demo.build()
        load_review_demo(demo)
        load_lifecycle_demo(demo)
        load_personnel_demo(demo)
        load_stocktake_demo(demo)
        load_dispatch_demo(demo)
    by_status = Counter(Carrier.objects.filter(unit=demo.unit).values_list("status", flat=True))
    return DemoResult(
        created=True,
        accounts=demo.accounts,
        by_status=dict(by_status),
        carriers=sum(by_status.values()),
    )


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
        self.drive(registered)

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

    # -- custody --------------------------------------------------------------------------------

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

    def drive(self, registered: list[Carrier]) -> None:
        clerk = self.people["clerk"]
        pool = [c for c in registered if c.level != Level.TOP_SECRET]
        self.rng.shuffle(pool)
        top_secret = [c for c in registered if c.level == Level.TOP_SECRET]

        def take(n: int, want=lambda c: True) -> list[Carrier]:
            picked = []
            for carrier in pool:
                if len(picked) == n:
                    break
                if want(carrier) and self.readers_of(carrier):
                    picked.append(carrier)
            for carrier in picked:
                pool.remove(carrier)
            return picked

        # Voided first: a wrong registration is cancelled before it ever moves.
        for carrier in take(3, lambda c: c.copy_no == 1):
            carriers.void(clerk, carrier, reason="重复登记，予以作废")

        # Amended: a typo in the register is corrected with a reason.
        for carrier in take(5):
            carriers.amend(
                clerk, carrier, {"pages": carrier.pages + 1}, reason="清点页数有误，予以更正"
            )
        typo = self.register(
            kind=CarrierKind.DOCUMENT,
            title="关于做好2026年度保密自查自评工做的通知",
            level=Level.CONFIDENTIAL,
            source=Source.RECEIVED,
            place=self.places["机要室文件柜A"],
            issuer="XX省保密局",
            doc_number=self.doc_number("X保发"),
            pages=6,
            scope_departments=self.scope(("办公室秘书科", "机要室")),
        )[0]
        carriers.amend(
            clerk,
            typo,
            {"title": "关于做好2026年度保密自查自评工作的通知"},
            reason="标题错字更正（“工做”应为“工作”）",
        )

        # Relocated: moved between cabinets and to the archive shelves.
        for carrier in take(10):
            target = self.places["档案室密集架" if carrier.pk % 2 else "机要室文件柜B"]
            if carrier.place_id == target.pk:
                target = self.places["机要室文件柜A"]
            carriers.relocate(clerk, carrier, target, note="调整存放位置")

        # Circulated and back: history for the readers' ledger.
        for carrier in take(30):
            reader = self.rng.choice(self.readers_of(carrier))
            carriers.circulate(clerk, carrier, reader, due_date=self.today + timedelta(days=3))
            carriers.acknowledge(reader, carrier)
            carriers.return_to_registry(clerk, carrier, note="阅毕退回")

        # Circulating now: about half acknowledged, half waiting for the reader's 签收.
        for n, carrier in enumerate(take(24)):
            reader = self.rng.choice(self.readers_of(carrier))
            carriers.circulate(
                clerk, carrier, reader, due_date=self.today + timedelta(days=self.rng.randint(1, 5))
            )
            if n % 2 == 0:
                carriers.acknowledge(reader, carrier)

        # On loan against approved requests (CR-6): a few due today and tomorrow.
        due_days = [0, 0, 1, 1, 2, 5, 7, 7, 10, 14, 14, 20, 25, 28]
        for n, carrier in enumerate(take(len(due_days))):
            borrower = self.rng.choice(self.readers_of(carrier))
            due = self.today + timedelta(days=due_days[n])
            request = self.approved(
                RequestKind.LOAN, carrier, borrower, due=due, reason="起草相关材料需要参阅"
            )
            carriers.lend(clerk, carrier, request, due_date=due)
            if n % 3 == 0:
                carriers.acknowledge(borrower, carrier)

        # Lent and returned.
        for carrier in take(6):
            borrower = self.rng.choice(self.readers_of(carrier))
            due = self.today + timedelta(days=7)
            request = self.approved(RequestKind.LOAN, carrier, borrower, due=due)
            carriers.lend(clerk, carrier, request)
            carriers.acknowledge(borrower, carrier)
            carriers.return_to_registry(clerk, carrier, note="按期归还")

        # Taken out to meetings (CR-8).
        for n, carrier in enumerate(take(4, lambda c: c.kind in _PAPER)):
            person = self.rng.choice(self.readers_of(carrier))
            due = self.today + timedelta(days=n % 3)
            request = self.approved(
                RequestKind.TAKE_OUT,
                carrier,
                person,
                due=due,
                destination="XX省人民政府（参加专题会议）",
                reason="参加专题会议汇报工作",
            )
            carriers.take_out(clerk, carrier, request)
            carriers.acknowledge(person, carrier)

        # Copies against approved requests (CR-7); copies keep the original's level (CL-5).
        for carrier in take(4, lambda c: not c.no_copy):
            person = self.rng.choice(self.readers_of(carrier))
            request = self.approved(
                RequestKind.COPY, carrier, person, copies=2, reason="分送相关科室办理"
            )
            carriers.copy(clerk, carrier, request, copies=2)
        original = top_secret[0]
        request = self.request(
            RequestKind.COPY,
            original,
            self.people["director"],
            copies=1,
            reason="领导批示需复制一份供专题研究",
        )
        request = approvals.approve(
            self.people["leader"],
            request,
            comment="同意，已取得制文机关书面同意",
            issuer_consent_doc="国办函〔2026〕35号",
            issuer_consent_date=self.today - timedelta(days=2),
        )
        carriers.copy(clerk, original, request, copies=1, note="经制文机关同意复制")

        # Lost: two in the registry found missing at a count, one on loan reported by its holder.
        for carrier in take(2):
            carriers.report_lost(clerk, carrier, note="清查时未找到，已报告保密办")
        carrier = take(1)[0]
        borrower = self.rng.choice(self.readers_of(carrier))
        due = self.today + timedelta(days=7)
        request = self.approved(RequestKind.LOAN, carrier, borrower, due=due)
        carriers.lend(clerk, carrier, request)
        carriers.report_lost(borrower, carrier, note="外出途中遗失，立即报告")
        found = take(1)[0]
        carriers.report_lost(clerk, found, note="清查时未找到")
        carriers.found(clerk, found, note="在档案室密集架错放处找回")

        # 绝密: read in the registry and returned the same day (CR-5).
        reader = self.people["director"]
        carriers.circulate(clerk, top_secret[1], reader)
        carriers.acknowledge(reader, top_secret[1])
        carriers.return_to_registry(clerk, top_secret[1], note="阅毕即退")

        # Waiting for 钱建国: pending requests; and one he refused.
        pending = take(4)
        zhang = self.people["zhang"]
        for n, carrier in enumerate(pending[:3]):
            person = zhang if zhang in self.readers_of(carrier) else self.readers_of(carrier)[0]
            kind = (RequestKind.LOAN, RequestKind.COPY, RequestKind.TAKE_OUT)[n]
            self.request(
                kind,
                carrier,
                person,
                due=None if kind == RequestKind.COPY else self.today + timedelta(days=3),
                copies=1 if kind == RequestKind.COPY else None,
                destination="XX市委（参加会议）" if kind == RequestKind.TAKE_OUT else "",
                reason="承办相关工作需要",
            )
        carrier = pending[3]
        person = self.readers_of(carrier)[0]
        request = self.request(
            RequestKind.LOAN,
            carrier,
            person,
            due=self.today + timedelta(days=20),
            reason="个人学习参考",
        )
        approvals.reject(
            self.people["leader"], request, reason="非工作必需，请在阅览室查阅，不予借出"
        )


_PAPER = (CarrierKind.DOCUMENT, CarrierKind.TELEGRAM, CarrierKind.MEETING_PAPER)


# -- review before publication (REV-1…3): the review engineer's part --------------------------


def load_review_demo(demo: _Demo) -> None:
    """A term list and reviews in every stage, all through review.actions."""
    from baomi.review import actions as review
    from baomi.review.choices import Destination, Stage

    p = demo.people
    review.save_terms(
        p["clerk"],
        demo.unit,
        ["某型号", "试验基地", "内部讨论稿", "未公开数据", "代号"],
        note="初始词表",
    )

    def draft(author, title, text, reviewer, **extra):
        form = review.ReviewForm(
            title=title,
            text=text,
            destination=extra.pop("destination", Destination.WEBSITE),
            department=author.department,
            first_reviewer=reviewer,
            source=author.department.name,
            **extra,
        )
        return review.submit(author, review.create_review(author, form))

    notice = draft(
        p["zhang"],
        "关于开展春季植树活动的通知",
        "各处室：定于三月十二日开展义务植树。",
        p["director"],
    )
    review.self_check(p["zhang"], notice, "本人已逐项自查，不涉及国家秘密和工作秘密。")
    review.approve(p["director"], notice, Stage.FIRST_REVIEW, "同意上网")
    review.approve(p["leader"], notice, Stage.LEADER, "同意")
    review.publish(p["zhang"], notice, where="门户网站·通知公告", on=demo.today)

    draft(p["li"], "办公室年度工作总结（公开版）", "本年度完成某型号配套保障工作。", p["wu"])
    waiting = draft(p["he"], "综合科信息简报第3期", "简报内容：后勤保障情况。", p["hu"])
    review.self_check(p["he"], waiting, "已自查。")
    sent = draft(
        p["ma"],
        "向审计事务所提供的财务资料",
        "2025年度部分经费支出明细。",
        p["sun"],
        destination=Destination.OUTSIDE_PARTY,
        destination_detail="XX会计师事务所",
        important=True,
    )
    review.self_check(p["ma"], sent, "已自查，未含涉密事项。")
    review.send_back(p["sun"], sent, Stage.FIRST_REVIEW, "请删去未公开数据后重新提交")


# -- archive, destruction, handover (CR-11, CR-12, CR-13, ARC-1): the lifecycle engineer's part --


def load_lifecycle_demo(demo: _Demo) -> None:
    """Dossiers with contents, a retrieval, destruction lists in every stage and an open
    handover, all through the actions."""
    from baomi.archive import actions as archive
    from baomi.carriers.choices import Status
    from baomi.carriers.policies import may_hold
    from baomi.carriers.selectors import carriers_visible_to, holdings_of
    from baomi.destruction import actions as destruction
    from baomi.destruction.models import Method
    from baomi.handover import actions as handover

    p, clerk = demo.people, demo.people["clerk"]
    used: set[int] = set()

    def pick(n, person=None, **filters):
        rows = (
            carriers_visible_to(person or clerk)
            .filter(unit=demo.unit, status=Status.IN_REGISTRY, kind=CarrierKind.DOCUMENT, **filters)
            .exclude(pk__in=used)
            .order_by("pk")[:n]
        )
        rows = list(rows)
        used.update(c.pk for c in rows)
        return rows

    files = archive.create_dossier(
        clerk,
        number="2025-WS-001",
        title="2025年度文书档案（永久）",
        year=2025,
        place=demo.places["档案室密集架"],
    )
    minutes = archive.create_dossier(
        clerk,
        number="2025-HY-001",
        title="2025年度党组会议纪要",
        year=2025,
        place=demo.places["机要室保险柜1号"],
        leadership_meeting=True,
    )
    to_read = pick(2, p["zhang"], level=Level.SECRET)
    for carrier in [*pick(3, level=Level.CONFIDENTIAL), *to_read]:
        archive.archive(clerk, carrier, files)
    for carrier in pick(2, level=Level.CONFIDENTIAL):
        archive.archive(clerk, carrier, minutes)
    if to_read:
        request = archive.request_retrieval(
            p["zhang"], to_read[:1], reason="起草年度总结需查阅", approver=p["leader"]
        )
        approvals.approve(p["leader"], request, comment="同意，在机要室阅读")
        archive.retrieve(clerk, to_read[0], request)
        if len(to_read) > 1:
            archive.request_retrieval(
                p["zhang"], to_read[1:2], reason="核对数据", approver=p["leader"]
            )

    # Destroyed: checked, approved, burned/shredded under two witnesses; a certificate exists.
    done = pick(3, level=Level.CONFIDENTIAL)
    if done:
        dlist = destruction.create_list(clerk, done, reason="已办结、无保存价值的传阅文件")
        for carrier in done:
            destruction.check_item(clerk, dlist, carrier)
        request = destruction.submit(clerk, dlist, approver=p["leader"])
        approvals.approve(p["leader"], request, comment="同意销毁")
        destruction.destroy(
            clerk,
            dlist,
            method=Method.PULP,
            place="XX市涉密载体销毁中心（指定造纸厂）",
            witnesses=[p["director"], p["wu"]],
        )
    # Waiting for the leader, and still being checked.
    waiting = pick(2, level=Level.CONFIDENTIAL)
    if waiting:
        dlist = destruction.create_list(clerk, waiting, reason="过期会议材料")
        for carrier in waiting:
            destruction.check_item(clerk, dlist, carrier)
        destruction.submit(clerk, dlist, approver=p["leader"])
    draft = pick(3, level=Level.SECRET)
    if draft:
        dlist = destruction.create_list(clerk, draft, reason="年度清理")
        destruction.check_item(clerk, dlist, draft[0])

    # An open handover: someone who holds carriers hands them to a colleague who may hold them.
    for key in ("li", "zheng", "hu", "lin", "chen", "sun", "zhang", "wu"):
        giver = p[key]
        held = list(holdings_of(giver))
        if not held:
            continue
        receiver = next(
            (
                other
                for other in p.values()
                if other.pk != giver.pk
                and not other.has_system_role
                and all(may_hold(other, c) for c in held)
            ),
            None,
        )
        if receiver is not None:
            opened = handover.open_handover(clerk, giver, receiver, reason="岗位调整")
            handover.confirm(giver, opened)
            break
