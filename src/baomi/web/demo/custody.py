"""The demo carriers' custody history: voided, amended, relocated, circulated, lent, taken
out, copied, lost and found, and pending or refused requests — all through the actions."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind
from baomi.carriers import actions as carriers
from baomi.carriers.choices import CarrierKind, Source
from baomi.carriers.models import Carrier
from baomi.classification.choices import Level
from baomi.lib import clock

if TYPE_CHECKING:
    from baomi.web.demo.office import _Demo


_PAPER = (CarrierKind.DOCUMENT, CarrierKind.TELEGRAM, CarrierKind.MEETING_PAPER)


def drive(demo: _Demo, registered: list[Carrier]) -> None:
    """Move the registered carriers through every custody state, all through the actions."""
    clerk = demo.people["clerk"]
    pool = [c for c in registered if c.level != Level.TOP_SECRET]
    demo.rng.shuffle(pool)
    top_secret = [c for c in registered if c.level == Level.TOP_SECRET]

    def take(n: int, want=lambda c: True) -> list[Carrier]:
        picked = []
        for carrier in pool:
            if len(picked) == n:
                break
            if want(carrier) and demo.readers_of(carrier):
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
    typo = demo.register(
        kind=CarrierKind.DOCUMENT,
        title="关于做好2026年度保密自查自评工做的通知",
        level=Level.CONFIDENTIAL,
        source=Source.RECEIVED,
        place=demo.places["机要室文件柜A"],
        issuer="XX省保密局",
        doc_number=demo.doc_number("X保发"),
        pages=6,
        scope_departments=demo.scope(("办公室秘书科", "机要室")),
    )[0]
    carriers.amend(
        clerk,
        typo,
        {"title": "关于做好2026年度保密自查自评工作的通知"},
        reason="标题错字更正（“工做”应为“工作”）",
    )

    # Relocated: moved between cabinets and to the archive shelves.
    for carrier in take(10):
        target = demo.places["档案室密集架" if carrier.pk % 2 else "机要室文件柜B"]
        if carrier.place_id == target.pk:
            target = demo.places["机要室文件柜A"]
        carriers.relocate(clerk, carrier, target, note="调整存放位置")

    # Circulated and back: history for the readers' ledger.
    for carrier in take(30):
        reader = demo.rng.choice(demo.readers_of(carrier))
        carriers.circulate(clerk, carrier, reader, due_date=demo.today + timedelta(days=3))
        carriers.acknowledge(reader, carrier)
        carriers.return_to_registry(clerk, carrier, note="阅毕退回")

    # Circulating now: about half acknowledged, half waiting for the reader's 签收.
    for n, carrier in enumerate(take(24)):
        reader = demo.rng.choice(demo.readers_of(carrier))
        carriers.circulate(
            clerk, carrier, reader, due_date=demo.today + timedelta(days=demo.rng.randint(1, 5))
        )
        if n % 2 == 0:
            carriers.acknowledge(reader, carrier)

    # On loan against approved requests (CR-6): four lent weeks ago and now overdue (lent then,
    # through `lib.clock`, under the rules of then), a few due today and tomorrow, the rest later.
    overdue = [(20, 14), (16, 6), (12, 9), (9, 2)]  # (lent days ago, loan days)
    for lent_ago, loan_days in overdue:
        carrier = take(1)[0]
        borrower = demo.rng.choice(demo.readers_of(carrier))
        with clock.at(demo.now - timedelta(days=lent_ago)):
            due = clock.today() + timedelta(days=loan_days)
            request = demo.approved(
                RequestKind.LOAN, carrier, borrower, due=due, reason="起草相关材料需要参阅"
            )
            carriers.lend(clerk, carrier, request, due_date=due)
            carriers.acknowledge(borrower, carrier)
    due_days = [0, 0, 1, 1, 2, 5, 7, 7, 10, 14, 14, 20, 25, 28]
    for n, carrier in enumerate(take(len(due_days))):
        borrower = demo.rng.choice(demo.readers_of(carrier))
        due = demo.today + timedelta(days=due_days[n])
        request = demo.approved(
            RequestKind.LOAN, carrier, borrower, due=due, reason="起草相关材料需要参阅"
        )
        carriers.lend(clerk, carrier, request, due_date=due)
        if n % 3 == 0:
            carriers.acknowledge(borrower, carrier)

    # Lent and returned.
    for carrier in take(6):
        borrower = demo.rng.choice(demo.readers_of(carrier))
        due = demo.today + timedelta(days=7)
        request = demo.approved(RequestKind.LOAN, carrier, borrower, due=due)
        carriers.lend(clerk, carrier, request)
        carriers.acknowledge(borrower, carrier)
        carriers.return_to_registry(clerk, carrier, note="按期归还")

    # Taken out to meetings (CR-8).
    for n, carrier in enumerate(take(4, lambda c: c.kind in _PAPER)):
        person = demo.rng.choice(demo.readers_of(carrier))
        due = demo.today + timedelta(days=n % 3)
        request = demo.approved(
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
        person = demo.rng.choice(demo.readers_of(carrier))
        request = demo.approved(
            RequestKind.COPY, carrier, person, copies=2, reason="分送相关科室办理"
        )
        carriers.copy(clerk, carrier, request, copies=2)
    original = top_secret[0]
    request = demo.request(
        RequestKind.COPY,
        original,
        demo.people["director"],
        copies=1,
        reason="领导批示需复制一份供专题研究",
    )
    request = approvals.approve(
        demo.people["leader"],
        request,
        comment="同意，已取得制文机关书面同意",
        issuer_consent_doc="国办函〔2026〕35号",
        issuer_consent_date=demo.today - timedelta(days=2),
    )
    carriers.copy(clerk, original, request, copies=1, note="经制文机关同意复制")

    # Lost: two in the registry found missing at a count, one on loan reported by its holder.
    for carrier in take(2):
        carriers.report_lost(clerk, carrier, note="清查时未找到，已报告保密办")
    carrier = take(1)[0]
    borrower = demo.rng.choice(demo.readers_of(carrier))
    due = demo.today + timedelta(days=7)
    request = demo.approved(RequestKind.LOAN, carrier, borrower, due=due)
    carriers.lend(clerk, carrier, request)
    carriers.report_lost(borrower, carrier, note="外出途中遗失，立即报告")
    found = take(1)[0]
    carriers.report_lost(clerk, found, note="清查时未找到")
    carriers.found(clerk, found, note="在档案室密集架错放处找回")

    # 绝密: read in the registry and returned the same day (CR-5).
    reader = demo.people["director"]
    carriers.circulate(clerk, top_secret[1], reader, reading_place=demo.places["阅览室"])
    carriers.acknowledge(reader, top_secret[1])
    carriers.return_to_registry(clerk, top_secret[1], note="阅毕即退")

    # Waiting for 钱建国: pending requests; and one he refused.
    pending = take(4)
    zhang = demo.people["zhang"]
    for n, carrier in enumerate(pending[:3]):
        person = zhang if zhang in demo.readers_of(carrier) else demo.readers_of(carrier)[0]
        kind = (RequestKind.LOAN, RequestKind.COPY, RequestKind.TAKE_OUT)[n]
        demo.request(
            kind,
            carrier,
            person,
            due=None if kind == RequestKind.COPY else demo.today + timedelta(days=3),
            copies=1 if kind == RequestKind.COPY else None,
            destination="XX市委（参加会议）" if kind == RequestKind.TAKE_OUT else "",
            reason="承办相关工作需要",
        )
    carrier = pending[3]
    person = demo.readers_of(carrier)[0]
    request = demo.request(
        RequestKind.LOAN,
        carrier,
        person,
        due=demo.today + timedelta(days=20),
        reason="个人学习参考",
    )
    approvals.reject(demo.people["leader"], request, reason="非工作必需，请在阅览室查阅，不予借出")
