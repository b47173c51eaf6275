"""The custody invariants of design.md under random sequences of actions by random people.

Every rule of the machine calls an action as some random person; refusals are expected and must
leave the data untouched (and be audited). After every step the invariants are checked: one
custodian (CR-3), terminal states frozen, one custody event and one audit row per change (SEC-4),
copies never below their original (CL-5), holders may hold what they hold (PER-1), nobody
approved their own request (APR-1, APR-2), a holder-to-holder move only through a completed,
twice-signed handover (CR-4, CR-13), two different cleared witnesses who did not ask for it at
every destruction (CR-12), nothing terminal left in a dossier and every dossier marked from its
contents (CL-6), the chain verifies.

Besides the foundation's moves, the machine drives the whole life: 传阅单, dispatch (every channel,
random couriers), recall, archive and retrieval, destruction lists, handover, stocktake and
reclassification — each both as a random single step (mostly refused) and as the usual path.

Classified media (U盘, 移动硬盘) are carriers like paper, registered also through the device
ledger, and add the assigned state (在用, DEV-1): handed to a 责任人 for daily use, with no due
date, only from the registry and back to it.

Papers brought back from a meeting elsewhere (CR-2) enter the ledger declared (已申报) in the
hands of the person who brought them, and leave that state only by the office's registration.
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from django.db import transaction
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind, RequestStatus, StepOutcome
from baomi.approvals.models import ApprovalStep, Request
from baomi.archive import actions as archive
from baomi.archive.models import Dossier, DossierItem
from baomi.audit.models import AuditEvent, Outcome
from baomi.audit.trail import verify
from baomi.carriers import actions, slips
from baomi.carriers.choices import (
    AT_PLACE,
    DEVICE_KINDS,
    TERMINAL,
    WITH_HOLDER,
    CarrierKind,
    EventKind,
    Source,
    Status,
)
from baomi.carriers.models import Carrier, CirculationSlip, CustodyEvent, SlipReader
from baomi.carriers.policies import may_hold
from baomi.carriers.registration import Registration
from baomi.carriers.rules import today
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.destruction import actions as destruction
from baomi.destruction.models import DestructionList, ListStatus, Method
from baomi.devices import actions as devices
from baomi.devices.choices import DeviceKind
from baomi.dispatch import actions as dispatch
from baomi.dispatch.choices import Channel
from baomi.dispatch.models import Dispatch, DispatchItem, RecallItem
from baomi.handover import actions as handover
from baomi.handover.models import Handover, HandoverItem, HandoverStatus
from baomi.lib.actions import AUDITED_REFUSALS
from baomi.lib.errors import BaomiError
from baomi.org import actions as org
from baomi.outside_meetings import actions as outside
from baomi.reclassification import actions as reclassification
from baomi.reclassification.models import Notice, Reclassification
from baomi.stocktake import actions as stocktake
from baomi.stocktake.models import Stocktake, StocktakeScan, StocktakeState
from tests.factories import build_world, db_state, last_audit_seq, person
from tests.lifecycle import archive_room, my_state

PEOPLE = ("clerk", "leader", "deputy", "classifier", "zhang", "li", "wang", "outsider", "sysadmin")
# Random people, weighted towards those an action may succeed for.
READERS = (*PEOPLE, "zhang", "zhang", "leader", "classifier")
# Approvers are drawn from everybody, weighted towards those who may approve.
APPROVERS = ("leader", "leader", "deputy", "zhang", "clerk", "li")
LEVELS = (Level.INTERNAL, Level.CONFIDENTIAL, Level.SECRET, Level.TOP_SECRET)
KINDS = (
    CarrierKind.DOCUMENT,
    CarrierKind.DOCUMENT,
    CarrierKind.TELEGRAM,
    CarrierKind.USB_DRIVE,
    CarrierKind.HARD_DISK,
)
MEDIA = (DeviceKind.USB_DRIVE, DeviceKind.HARD_DISK)
SCOPES = ("office", "office", "office", "finance", "zhang", "leader_li")
DUE = st.one_of(st.none(), st.integers(0, 7), st.integers(-1, 40))
INDEX = st.integers(0, 1_000)
ISSUER = "XX省人民政府办公厅"
# Witnesses and couriers: a few lists of random people, empty and duplicated ones included.
CREW = st.lists(st.sampled_from((*PEOPLE, "zhang", "classifier", "leader")), max_size=3)

people = st.sampled_from(READERS)
places = st.sampled_from((None, "safe", "cabinet"))


class CustodyMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        # One savepoint per example, rolled back in teardown: each example starts afresh.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()
        w = self.w = build_world()
        deputy = person(w.system, w.unit, "郑副职", w.office, "core", "")
        for kind in RequestKind.values:
            org.grant_approval_authority(w.system, deputy, kind, Level.CONFIDENTIAL)
        self.cast = {name: getattr(w, name) for name in PEOPLE if hasattr(w, name)}
        self.cast["deputy"] = deputy
        self.cast["outsider"] = person(w.system, w.unit, "吴财务", w.finance, "important", "")
        self.carriers: list[int] = []
        self.requests: list[int] = []
        self.terminal: dict[int, dict] = {}

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # --- helpers ------------------------------------------------------------------------------

    def who(self, name: str):
        return self.cast[name].__class__.objects.get(pk=self.cast[name].pk)

    def carrier(self, index: int) -> Carrier:
        return Carrier.objects.get(pk=self.carriers[index % len(self.carriers)])

    def live(self, index: int, statuses) -> Carrier:
        """A random carrier in one of `statuses` (any carrier when there is none)."""
        pks = list(
            Carrier.objects.filter(pk__in=self.carriers, status__in=statuses)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        return Carrier.objects.get(pk=pks[index % len(pks)]) if pks else self.carrier(index)

    def request(
        self, index: int | None, *, pending: bool = False, kind: str | None = None
    ) -> Request | None:
        """A random request of the run; preferably a pending one, or an approved one of `kind`."""
        candidates = Request.objects.filter(pk__in=self.requests).order_by("pk")
        preferred = (
            candidates.filter(status=RequestStatus.PENDING)
            if pending
            else (candidates.filter(status=RequestStatus.APPROVED, kind=kind) if kind else None)
        )
        if preferred is not None and preferred.exists():
            candidates = preferred
        count = candidates.count()
        if index is None or not count:
            return None
        return candidates[index % count]

    def place(self, name: str | None):
        return None if name is None else getattr(self.w, name)

    def crew(self, names: list[str]):
        return [self.who(name) for name in names]

    def name_of(self, pk: int) -> str:
        return next(k for k, v in self.cast.items() if v.pk == pk)

    def approve_as_addressed(self, request: Request, consent: bool = True) -> Request:
        """Approve every pending step as the person it is addressed to (who may still refuse)."""
        for _ in range(3):
            request.refresh_from_db()
            step = request.steps.filter(outcome=StepOutcome.PENDING).order_by("order").first()
            if request.status != RequestStatus.PENDING or step is None:
                break
            self.approve_step(request, self.name_of(step.approver_id), consent)
            if request.steps.filter(pk=step.pk, outcome=StepOutcome.PENDING).exists():
                break
        request.refresh_from_db()
        return request

    def approve_step(self, request: Request, actor: str, consent: bool) -> None:
        extra = {"issuer_consent_doc": "X政办函〔2026〕9号", "issuer_consent_date": today()}
        self.attempt(
            lambda: approvals.approve(self.who(actor), request, **(extra if consent else {})),
            custody=False,
        )

    @staticmethod
    def pick(model, index: int, **filters):
        rows = model.objects.filter(**filters).order_by("pk")
        count = rows.count()
        return rows[index % count] if count else None

    @staticmethod
    def due(offset: int | None) -> date | None:
        return None if offset is None else today() + timedelta(days=offset)

    def attempt(self, do, *, changes=lambda result: 1, custody=True, exact=True):
        """Run one action. Refused: nothing changed (the lifecycle tables included), the refusal
        audited once. Done: every new audit row `done`; `changes` custody events (if `custody`),
        each with exactly one `carrier.<kind>` audit row about that carrier, in the same order;
        when `exact`, no other audit rows (the lifecycle actions also audit their lists,
        dossiers and handovers)."""
        before, seq = everything(), last_audit_seq()
        last_event = CustodyEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
        try:
            result = do()
        except BaomiError as error:
            assert everything() == before, f"refused ({error}) but data changed"
            rows = list(AuditEvent.objects.filter(seq__gt=seq).values_list("outcome", "rule_id"))
            if isinstance(error, AUDITED_REFUSALS):
                code = getattr(error, "rule_id", None) or error.code
                assert rows == [(Outcome.REFUSED, code)], rows
            else:
                assert rows == [], rows
            return None
        expected = changes(result)
        rows = list(
            AuditEvent.objects.filter(seq__gt=seq)
            .order_by("seq")
            .values_list("outcome", "event_type", "object_type", "object_id")
        )
        assert {row[0] for row in rows} <= {Outcome.DONE}, rows
        events = list(
            CustodyEvent.objects.filter(id__gt=last_event)
            .order_by("id")
            .values_list("kind", "carrier_id")
        )
        audited = [
            (kind.removeprefix("carrier."), pk)
            for _, kind, model, pk in rows
            if kind.startswith("carrier.") and model == "carrier"
        ]
        assert audited == events, (audited, events)
        assert len(events) == (expected if custody else 0), events
        if exact:
            assert len(rows) == expected, rows
        return result

    # --- rules --------------------------------------------------------------------------------

    @rule(
        level=st.sampled_from(LEVELS),
        kind=st.sampled_from(KINDS),
        copies=st.integers(1, 3),
        place=st.sampled_from(("safe", "cabinet")),
        scope=st.sampled_from(SCOPES),
        actor=st.sampled_from(("clerk", "clerk", "clerk", "zhang")),
    )
    def register(self, level, kind, copies, place, scope, actor):
        w = self.w
        departments = {"office": [w.office], "finance": [w.finance]}.get(scope, [])
        scoped_people = {"zhang": [w.zhang], "leader_li": [w.leader, w.li]}.get(scope, [])
        reg = Registration(
            kind=kind,
            title="某来文",
            doc_date=date(2026, 1, 5),
            level=level,
            source=Source.RECEIVED,
            place=self.place(place),
            copies=copies,
            issuer="XX省人民政府办公厅",
            scope_departments=departments,
            scope_people=scoped_people,
        )
        made = self.attempt(lambda: actions.register(self.who(actor), reg), changes=len)
        self.carriers.extend(c.pk for c in made or [])

    @initialize()
    def two_received_documents(self):
        w = self.w
        for level, place in ((Level.SECRET, w.cabinet), (Level.CONFIDENTIAL, w.cabinet)):
            reg = Registration(
                kind=CarrierKind.DOCUMENT,
                title="某来文",
                doc_date=date(2026, 1, 5),
                level=level,
                source=Source.RECEIVED,
                place=place,
                copies=2,
                issuer="XX省人民政府办公厅",
                scope_departments=[w.office],
            )
            made = self.attempt(
                lambda reg=reg: actions.register(self.who("clerk"), reg), changes=len
            )
            self.carriers.extend(c.pk for c in made)
        for number, meeting in (("2026-WS-001", False), ("2026-HY-001", True)):
            archive.create_dossier(
                self.who("clerk"),
                number=number,
                title="2026年度文书档案",
                year=2026,
                place=archive_room(w),
                leadership_meeting=meeting,
            )

    def target(self, i: int, request: Request | None, matching: bool) -> Carrier:
        """A random carrier, or (when `matching`) one the request names and has not used."""
        if matching and request is not None:
            unused = request.items.filter(consumed_at__isnull=True).first()
            if unused is not None:
                return unused.carrier
        return self.carrier(i)

    @rule(i=INDEX, reader=people, due=DUE)
    def circulate(self, i, reader, due):
        if self.carriers:
            c = self.carrier(i)
            self.attempt(
                lambda: actions.circulate(
                    self.who("clerk"), c, self.who(reader), due_date=self.due(due)
                )
            )

    @rule(
        kind=st.sampled_from(MEDIA),
        level=st.sampled_from(LEVELS),
        responsible=st.one_of(st.none(), people),
        place=st.sampled_from(("safe", "cabinet")),
        actor=st.sampled_from(("clerk", "clerk", "zhang")),
    )
    def register_medium(self, kind, level, responsible, place, actor):
        """A classified medium entered on the device ledger: a carrier, 在用 with its 责任人."""
        w = self.w
        form = devices.DeviceForm(
            kind=kind,
            level=level,
            department=w.office,
            brand="某品牌",
            serial=f"M-{len(self.carriers)}",
            responsible=self.who(responsible) if responsible else None,
            place=self.place(place),
        )
        made = self.attempt(
            lambda: devices.register_device(self.who(actor), form),
            changes=lambda d: len(d.carrier.events.all()) if d.carrier_id else 0,
            exact=False,
        )
        if made is not None and made.carrier_id:
            self.carriers.append(made.carrier_id)

    @rule(
        level=st.sampled_from(LEVELS),
        declarer=people,
        papers=st.integers(1, 2),
        register=st.sampled_from((None, "safe", "cabinet")),
    )
    def declare_papers(self, level, declarer, papers, register):
        """CR-2: papers brought back from a meeting elsewhere, declared (已申报) in the declarer's
        hands; refused for a level above the declarer's clearance (PER-1). The usual path goes
        on: the 保密员 registers the first of them into the registry (`register`)."""
        attendance = self.attempt(
            lambda: outside.record_attendance(
                self.who(declarer),
                meeting_title="外地会议",
                organiser="XX省保密局",
                held_on=today(),
                level=level,
            ),
            custody=False,
        )
        if attendance is None:
            return
        specs = [outside.PaperSpec(title="会议材料", level=level) for _ in range(papers)]
        made = self.attempt(
            lambda: outside.declare_papers(self.who(declarer), attendance, specs),
            changes=len,
            exact=False,
        )
        self.carriers.extend(c.pk for c in made or [])
        if made and register:
            self.attempt(
                lambda: outside.register_paper(
                    self.who("clerk"), made[0], place=self.place(register)
                )
            )

    @rule(
        i=INDEX,
        place=st.sampled_from(("safe", "cabinet")),
        actor=st.sampled_from(("clerk", "clerk", "zhang")),
    )
    def register_declared(self, i, place, actor):
        """CR-2: only the office registers a declared paper, into a place fit for it (CR-15)."""
        if self.carriers:
            c = self.live(i, (Status.DECLARED,))
            self.attempt(
                lambda: outside.register_paper(self.who(actor), c, place=self.place(place))
            )

    @rule(i=INDEX, holder=people, actor=st.sampled_from(("clerk", "clerk", "zhang")))
    def assign(self, i, holder, actor):
        """在用: only a device, only from the registry, only to someone who may hold it."""
        if self.carriers:
            c = self.live(i, (Status.IN_REGISTRY,)) if i % 2 else self.carrier(i)
            self.attempt(lambda: actions.assign(self.who(actor), c, self.who(holder)))

    @rule(i=INDEX, actor=people)
    def acknowledge(self, i, actor):
        if self.carriers:
            c = self.carrier(i)
            self.attempt(lambda: actions.acknowledge(self.who(actor), c))

    @rule(i=INDEX, place=places, actor=st.sampled_from(("clerk", "clerk", "zhang")))
    def return_(self, i, place, actor):
        if self.carriers:
            c = self.carrier(i)
            self.attempt(
                lambda: actions.return_to_registry(self.who(actor), c, place=self.place(place))
            )

    @rule(
        kind=st.sampled_from(RequestKind.values),
        picks=st.lists(INDEX, min_size=1, max_size=2),
        requester=people,
        approver=st.sampled_from(APPROVERS),
        beneficiary=st.one_of(st.none(), people),
        due=DUE,
        copies=st.integers(1, 3),
    )
    def create_request(self, kind, picks, requester, approver, beneficiary, due, copies):
        if not self.carriers:
            return
        form = approvals.RequestForm(
            kind=kind,
            carriers=[self.carrier(p) for p in picks],
            reason="工作需要",
            approver=self.who(approver),
            due_date=self.due(due),
            copies=copies if kind == RequestKind.COPY else None,
            beneficiary=self.who(beneficiary) if beneficiary else None,
            destination="省政府",
            # APR-3: a reclassification approval names its change; `reclassify` with no level
            # declassifies, which is what these approve.
            proposed_change={"declassify": True} if kind == RequestKind.RECLASSIFICATION else None,
        )
        made = self.attempt(
            lambda: approvals.create_request(self.who(requester), form), custody=False
        )
        if made is not None:
            self.requests.append(made.pk)

    @rule(
        kind=st.sampled_from(RequestKind.values),
        picks=st.lists(INDEX, min_size=1, max_size=2),
        requester=st.sampled_from(("zhang", "zhang", "classifier", "leader", "clerk")),
        beneficiary=st.one_of(st.none(), people),
        due=st.integers(0, 10),
        copies=st.integers(1, 3),
        consent=st.booleans(),
        use=st.booleans(),
    )
    def request_and_approve(self, kind, picks, requester, beneficiary, due, copies, consent, use):
        """The usual path — ask, approve, and (if `use`) carry it out at once — so that lending,
        taking out and copying get approvals to use."""
        approver = "deputy" if requester == "leader" else "leader"
        count = len(self.requests)
        self.create_request(kind, picks, requester, approver, beneficiary, due, copies)
        if len(self.requests) == count:
            return
        self.approve(count, True, approver, consent, False)
        request = Request.objects.get(pk=self.requests[-1])
        if not use or request.status != RequestStatus.APPROVED:
            return
        carrier = request.items.first().carrier
        if kind == RequestKind.COPY:
            made = self.attempt(
                lambda: actions.copy(self.who("clerk"), carrier, request, copies=copies),
                changes=lambda made: len(made) + 1,
            )
            self.carriers.extend(m.pk for m in made or [])
        else:
            move = actions.lend if kind == RequestKind.LOAN else actions.take_out
            self.attempt(lambda: move(self.who("clerk"), carrier, request))

    @rule(
        r=INDEX, addressed=st.booleans(), actor=people, consent=st.booleans(), pending=st.booleans()
    )
    def approve(self, r, addressed, actor, consent, pending):
        request = self.request(r, pending=pending)
        if request is None:
            return
        if addressed:
            actor = next(k for k, v in self.cast.items() if v.pk == request.steps.get().approver_id)
        extra = {"issuer_consent_doc": "X政办函〔2026〕9号", "issuer_consent_date": today()}
        self.attempt(
            lambda: approvals.approve(self.who(actor), request, **(extra if consent else {})),
            custody=False,
        )

    @rule(r=INDEX, actor=people)
    def reject(self, r, actor):
        request = self.request(r)
        if request is not None:
            self.attempt(
                lambda: approvals.reject(self.who(actor), request, reason="不同意"), custody=False
            )

    @rule(i=INDEX, r=st.one_of(st.none(), INDEX, INDEX), matching=st.booleans(), due=DUE)
    def lend(self, i, r, matching, due):
        if self.carriers:
            request = self.request(r, kind=RequestKind.LOAN if matching else None)
            c = self.target(i, request, matching)
            self.attempt(
                lambda: actions.lend(self.who("clerk"), c, request, due_date=self.due(due))
            )

    @rule(i=INDEX, r=st.one_of(st.none(), INDEX, INDEX), matching=st.booleans(), due=DUE)
    def take_out(self, i, r, matching, due):
        if self.carriers:
            request = self.request(r, kind=RequestKind.TAKE_OUT if matching else None)
            c = self.target(i, request, matching)
            self.attempt(
                lambda: actions.take_out(self.who("clerk"), c, request, due_date=self.due(due))
            )

    @rule(
        i=INDEX,
        r=st.one_of(st.none(), INDEX, INDEX),
        matching=st.booleans(),
        copies=st.integers(1, 3),
        level=st.one_of(st.none(), st.none(), st.sampled_from(LEVELS)),
        place=places,
    )
    def copy(self, i, r, matching, copies, level, place):
        if not self.carriers:
            return
        request = self.request(r, kind=RequestKind.COPY if matching else None)
        c = self.target(i, request, matching)
        made = self.attempt(
            lambda: actions.copy(
                self.who("clerk"), c, request, copies=copies, level=level, place=self.place(place)
            ),
            changes=lambda made: len(made) + 1,
        )
        self.carriers.extend(m.pk for m in made or [])

    @rule(i=INDEX, place=st.sampled_from(("safe", "cabinet")))
    def relocate(self, i, place):
        if self.carriers:
            c = self.carrier(i)
            self.attempt(lambda: actions.relocate(self.who("clerk"), c, self.place(place)))

    @rule(
        i=INDEX,
        change=st.sampled_from(
            (
                {"title": "更正后的标题"},
                {"pages": 7},
                {"remarks": "备注"},
                {"level": "confidential"},
            )
        ),
        reason=st.sampled_from(("录入错误", "")),
    )
    def amend(self, i, change, reason):
        if self.carriers:
            c = self.carrier(i)
            self.attempt(lambda: actions.amend(self.who("clerk"), c, change, reason=reason))

    @rule(i=INDEX, reason=st.sampled_from(("重复登记", " ", " ")))
    def void(self, i, reason):
        if self.carriers:
            c = self.carrier(i)
            self.attempt(lambda: actions.void(self.who("clerk"), c, reason=reason))

    @rule(i=INDEX, actor=people)
    def report_lost(self, i, actor):
        if self.carriers:
            c = self.carrier(i)
            self.attempt(lambda: actions.report_lost(self.who(actor), c))

    @rule(i=INDEX, place=places)
    def found(self, i, place):
        if self.carriers:
            c = self.carrier(i)
            self.attempt(lambda: actions.found(self.who("clerk"), c, place=self.place(place)))

    # --- the whole life: slips, dispatch, recall, archive, destruction, handover, stocktake ---

    @rule(i=INDEX, readers=st.lists(people, min_size=1, max_size=3), actor=people)
    def open_slip(self, i, readers, actor):
        if self.carriers:
            c = self.carrier(i)
            self.attempt(
                lambda: slips.create_slip(
                    self.who(actor if actor in ("clerk", "zhang") else "clerk"),
                    c,
                    self.crew(readers),
                )
            )

    @rule(s=INDEX, step=st.sampled_from(("send", "send", "ack", "back")), actor=people)
    def work_slip(self, s, step, actor):
        slip = self.pick(CirculationSlip, s, state=CirculationSlip.State.OPEN)
        if slip is None:
            return
        if step == "send":
            self.attempt(lambda: slips.send_next(self.who("clerk"), slip))
        elif step == "ack":
            out = slips.current_reader(slip)
            who = self.name_of(out.reader_id) if out and actor in READERS[-4:] else actor
            self.attempt(lambda: slips.acknowledge(self.who(who), slip))
        else:
            self.attempt(lambda: slips.take_back(self.who("clerk"), slip))

    @rule(
        picks=st.lists(INDEX, min_size=1, max_size=2),
        channel=st.sampled_from((*Channel.values, Channel.EXCHANGE_STATION, Channel.COURIER)),
        couriers=st.one_of(CREW, st.just(["zhang", "leader"])),
        actor=st.sampled_from(("clerk", "clerk", "zhang")),
        r=st.one_of(st.none(), INDEX),
    )
    def send(self, picks, channel, couriers, actor, r):
        if not self.carriers:
            return
        chosen = list(dict.fromkeys(self.live(p, (Status.IN_REGISTRY,)) for p in picks))
        form = dispatch.DispatchForm(
            carriers=chosen,
            recipient_unit="XX县人民政府办公室",
            recipient_person="刘收文",
            channel=channel,
            couriers=self.crew(couriers),
            request=self.request(r, kind=RequestKind.DISPATCH),
        )
        self.attempt(
            lambda: dispatch.dispatch(self.who(actor), form), changes=lambda _: len(chosen)
        )

    @rule(i=INDEX, issuer=st.sampled_from(("", ISSUER, ISSUER, "XX市财政局")), actor=people)
    def recall(self, i, issuer, actor):
        if self.carriers:
            c = self.live(i, (Status.IN_REGISTRY, Status.ARCHIVED, Status.ON_LOAN))
            who = "clerk" if actor in READERS[-4:] else actor
            self.attempt(
                lambda: dispatch.recall(self.who(who), c, issuer=issuer, received_by="刘某"),
                exact=False,
            )

    @rule(i=INDEX, d=INDEX, actor=st.sampled_from(("clerk", "clerk", "zhang")))
    def archive_(self, i, d, actor, carrier=None):
        if self.carriers:
            c, dossier = carrier or self.carrier(i), self.pick(Dossier, d)
            self.attempt(lambda: archive.archive(self.who(actor), c, dossier), exact=False)

    @rule(
        i=INDEX,
        requester=st.sampled_from(("zhang", "zhang", "classifier", "li", "clerk", "wang")),
        approver=st.sampled_from(("leader", "leader", "deputy", "zhang")),
        r=st.one_of(st.none(), INDEX),
        ask=st.booleans(),
    )
    def retrieve(self, i, requester, approver, r, ask, carrier=None):
        """调阅: ask (ARC-1), approve as addressed, then take it out of the archive — or try
        with some other request."""
        if not self.carriers:
            return
        c = carrier or self.live(i, (Status.ARCHIVED,))
        request = self.request(r, kind=RequestKind.ARCHIVE_RETRIEVAL)
        if ask:
            request = self.attempt(
                lambda: archive.request_retrieval(
                    self.who(requester), [c], reason="查阅", approver=self.who(approver)
                ),
                custody=False,
            )
            if request is None:
                return
            self.requests.append(request.pk)
            request = self.approve_as_addressed(request)
        self.attempt(lambda: archive.retrieve(self.who("clerk"), c, request))

    @rule(picks=st.lists(INDEX, min_size=1, max_size=3), actor=st.sampled_from(("clerk", "li")))
    def list_for_destruction(self, picks, actor):
        if self.carriers:
            chosen = list(dict.fromkeys(self.carrier(p) for p in picks))
            self.attempt(
                lambda: destruction.create_list(self.who(actor), chosen, reason="无保存价值"),
                changes=lambda _: len(chosen),
                exact=False,
            )

    @rule(d=INDEX, i=INDEX, step=st.sampled_from(("check", "check", "unlist", "add")))
    def edit_list(self, d, i, step):
        dlist = self.pick(DestructionList, d)
        if dlist is None or not self.carriers:
            return
        item = dlist.items.order_by("checked_at", "id").first()
        c = item.carrier if item is not None and i % 4 else self.carrier(i)
        clerk = self.who("clerk")
        if step == "check":
            self.attempt(lambda: destruction.check_item(clerk, dlist, c), custody=False)
        elif step == "unlist":
            self.attempt(lambda: destruction.unlist(clerk, dlist, c), exact=False)
        else:
            self.attempt(lambda: destruction.add_items(clerk, dlist, [c]), exact=False)

    @rule(
        d=INDEX,
        approver=st.sampled_from(APPROVERS),
        approve=st.booleans(),
        witnesses=CREW,
        method=st.sampled_from(Method.values),
        place=st.sampled_from(("机要室碎纸机", "XX市涉密载体销毁中心", " ")),
    )
    def destroy(self, d, approver, approve, witnesses, method, place, dlist=None):
        """Submit a list (if still a draft), approve it as addressed, destroy it with random
        witnesses and method: refused unless everything fits (CR-12)."""
        dlist = dlist or self.pick(
            DestructionList, d, status__in=(ListStatus.DRAFT, ListStatus.SUBMITTED)
        )
        if dlist is None:
            return
        if dlist.status == ListStatus.DRAFT or dlist.request.status != RequestStatus.PENDING:
            request = self.attempt(
                lambda: destruction.submit(self.who("clerk"), dlist, approver=self.who(approver)),
                custody=False,
                exact=False,
            )
            if request is not None:
                self.requests.append(request.pk)
            dlist.refresh_from_db()
        if approve and dlist.request is not None:
            self.approve_as_addressed(dlist.request)
        count = dlist.items.count()
        self.attempt(
            lambda: destruction.destroy(
                self.who("clerk"),
                dlist,
                method=method,
                place=place,
                witnesses=self.crew(witnesses),
            ),
            changes=lambda _: count,
            exact=False,
        )

    @rule(
        giver=people,
        receiver=people,
        sign=st.sampled_from(("both", "both", "person", "receiver", "none")),
        complete=st.booleans(),
    )
    def hand_over(self, giver, receiver, sign, complete):
        """交接 (CR-13): open for a holder, both sign, complete — or stop short."""
        open_ = Handover.objects.filter(status=HandoverStatus.OPEN).order_by("pk").first()
        if open_ is None:
            open_ = self.attempt(
                lambda: handover.open_handover(
                    self.who("clerk"), self.who(giver), self.who(receiver), reason="调岗"
                ),
                custody=False,
            )
            if open_ is None:
                return
        signers = {
            "both": (open_.person_id, open_.receiver_id),
            "person": (open_.person_id,),
            "receiver": (open_.receiver_id,),
            "none": (),
        }[sign]
        for pk in signers:
            self.attempt(
                lambda pk=pk: handover.confirm(self.who(self.name_of(pk)), open_), custody=False
            )
        if complete:
            count = open_.items.count()
            self.attempt(
                lambda: handover.complete(self.who("clerk"), open_),
                changes=lambda _: count,
                exact=False,
            )
        elif sign == "none":
            self.attempt(lambda: handover.cancel(self.who("clerk"), open_), custody=False)

    @rule(
        picks=st.lists(INDEX, max_size=3),
        junk=st.booleans(),
        place=places,
        step=st.sampled_from(("scan", "scan", "close", "lost")),
        i=INDEX,
    )
    def count(self, picks, junk, place, step, i):
        """清查 (CR-14): a count is started if none is open; numbers come in; it is closed; a
        carrier not found becomes a loss report."""
        clerk = self.who("clerk")
        open_ = Stocktake.objects.filter(state=StocktakeState.OPEN).order_by("pk").first()
        if open_ is None:
            open_ = self.attempt(
                lambda: stocktake.start(clerk, place=self.place(place), include_out=True),
                custody=False,
            )
        if step == "scan" and self.carriers:
            codes = [self.carrier(p).label for p in picks] + (["ABC-123"] if junk else [])
            self.attempt(
                lambda: stocktake.record_scans(clerk, open_, codes),
                changes=lambda result: 1 if result.added else 0,
                custody=False,
            )
        elif step == "close":
            # Items missing also open an incident draft (CR-14), audited as its own row.
            self.attempt(
                lambda: stocktake.close(clerk, open_),
                changes=lambda result: 2 if result.incidents.exists() else 1,
                custody=False,
            )
        elif self.carriers:
            last = Stocktake.objects.order_by("-pk").first()
            c = self.carrier(i)
            self.attempt(lambda: stocktake.report_missing(clerk, last, c))

    @rule(
        i=INDEX,
        r=st.one_of(st.none(), INDEX, INDEX),
        matching=st.booleans(),
        level=st.sampled_from((*LEVELS, None)),
    )
    def reclassify(self, i, r, matching, level):
        """变更/降密/解密 (CL-8) on some approval (or none); `None` declassifies."""
        if not self.carriers:
            return
        request = self.request(r, kind=RequestKind.RECLASSIFICATION if matching else None)
        c = self.target(i, request, matching)
        self.attempt(
            lambda: reclassification.reclassify(
                self.who("clerk"),
                c,
                request,
                reason="情况变化",
                level=level,
                declassify=level is None,
            ),
            exact=False,
        )

    # --- the usual paths, in one step each, so that random runs reach the end of them ---------

    @rule(i=INDEX, readers=st.lists(people, min_size=1, max_size=3, unique=True))
    def slip_round(self, i, readers):
        """A 传阅单 read to the end: each reader in turn gets it, signs, gives it back (CR-4)."""
        if not self.carriers:
            return
        c = self.live(i, (Status.IN_REGISTRY,))
        slip = self.attempt(lambda: slips.create_slip(self.who("clerk"), c, self.crew(readers)))
        for reader in readers if slip is not None else ():
            self.attempt(lambda: slips.send_next(self.who("clerk"), slip))
            self.attempt(lambda reader=reader: slips.acknowledge(self.who(reader), slip))
            self.attempt(lambda: slips.take_back(self.who("clerk"), slip))

    @rule(
        picks=st.lists(INDEX, min_size=1, max_size=3),
        twist=st.sampled_from(
            (None, None, None, None, "unchecked", "asker", "twice", "uncleared", "method", "self")
        ),
        witnesses=CREW,
        method=st.sampled_from(Method.values),
    )
    def destruction_path(self, picks, twist, witnesses, method):
        """造册 → 逐件清点 → 报批 → 批准 → 两人监销 (CR-12): the right way, or with one twist —
        an item not checked, the clerk who listed it as witness, one witness twice, an uncleared
        witness, a wrong method, the clerk approving — or random witnesses and method."""
        if not self.carriers:
            return
        listable = (Status.IN_REGISTRY, Status.ARCHIVED)
        chosen = list(dict.fromkeys(self.live(p, listable) for p in picks))
        dlist = self.attempt(
            lambda: destruction.create_list(self.who("clerk"), chosen, reason="无保存价值"),
            changes=lambda _: len(chosen),
            exact=False,
        )
        if dlist is None:
            return
        for n, c in enumerate(chosen):
            if not (twist == "unchecked" and n == len(chosen) - 1):
                self.attempt(
                    lambda c=c: destruction.check_item(self.who("clerk"), dlist, c),
                    custody=False,
                )
        top = max((c.level for c in chosen), key=lambda lv: LEVEL_RANK[Level(lv)])
        pair = ["leader", "deputy"] if top == Level.TOP_SECRET else ["zhang", "classifier"]
        right = destruction.allowed_methods(chosen[0])[0]
        if all(right in destruction.allowed_methods(c) for c in chosen):
            method = method if twist == "method" else right
        witnesses = {
            None: pair,
            "asker": ["clerk", pair[0]],
            "twice": [pair[0], pair[0]],
            "uncleared": [pair[0], "li"],
        }.get(twist, witnesses)
        approver = "clerk" if twist == "self" else "leader"
        self.destroy(0, approver, True, witnesses, method, "机要室碎纸机", dlist=dlist)

    @rule(
        i=INDEX,
        giver=st.sampled_from(("zhang", "classifier", "leader", "li")),
        receiver=st.sampled_from(("zhang", "classifier", "leader", "deputy", "li", "wang")),
        sign=st.sampled_from(("both", "both", "both", "person", "none")),
    )
    def handover_path(self, i, giver, receiver, sign):
        """交接 (CR-13) of somebody who holds something (circulated to them first if need be):
        open, both sign, complete — or complete with a signature missing."""
        if not self.carriers:
            return
        held = self.live(i, WITH_HOLDER)
        if held.holder_id is None:
            c = self.live(i, (Status.IN_REGISTRY,))
            self.attempt(lambda: actions.circulate(self.who("clerk"), c, self.who(giver)))
            held.refresh_from_db()
            if held.holder_id is None:
                held = c
                held.refresh_from_db()
        if held.holder_id is not None:
            giver = self.name_of(held.holder_id)
        # An open handover left by an earlier step is signed and completed first.
        self.hand_over(giver, receiver, sign if sign != "none" else "receiver", True)

    @rule(
        i=INDEX,
        requester=st.sampled_from(("zhang", "zhang", "classifier", "leader")),
        d=INDEX,
    )
    def archive_and_retrieve(self, i, requester, d):
        """归档 then 调阅 against a request approved as addressed (ARC-1)."""
        if not self.carriers:
            return
        c = self.live(i, (Status.IN_REGISTRY, Status.ARCHIVED))
        if c.status == Status.IN_REGISTRY:
            self.archive_(i, d, "clerk", carrier=c)
        approver = "deputy" if requester == "leader" else "leader"
        self.retrieve(i, requester, approver, None, True, carrier=c)

    # --- invariants (one method, so that each step reads the ledger once) --------------------

    @invariant()
    def invariants_hold(self):
        carriers = list(Carrier.objects.select_related("holder", "original"))
        history: dict[int, list[CustodyEvent]] = {c.pk: [] for c in carriers}
        for event in CustodyEvent.objects.order_by("at", "id"):
            history[event.carrier_id].append(event)
        handed = set(
            HandoverItem.objects.filter(
                handover__status=HandoverStatus.DONE,
                handover__person_confirmed_at__isnull=False,
                handover__receiver_confirmed_at__isnull=False,
            ).values_list("carrier_id", "handover__person_id", "handover__receiver_id")
        )
        for c in carriers:
            check_one_custodian(c)
            check_history(c, history[c.pk], handed)
            check_copy_level(c)
            check_holder_may_hold(c)
            check_assigned(c)
        self.check_terminal_states_frozen()
        check_one_audit_row_per_custody_event()
        check_approvals()
        check_destructions()
        check_dossiers()
        result = verify()  # SEC-4
        assert result.ok, result

    def check_terminal_states_frozen(self):
        for row in Carrier.objects.values():
            if row["id"] in self.terminal:
                assert row == self.terminal[row["id"]], row["id"]
            elif row["status"] in TERMINAL:
                self.terminal[row["id"]] = row


def check_one_custodian(c: Carrier) -> None:
    """CR-3: a place while in the registry, a holder while out, neither once out of custody."""
    if c.status in AT_PLACE:
        assert c.place_id and not c.holder_id, c.label
    elif c.status in WITH_HOLDER:
        assert c.holder_id and not c.place_id, c.label
    else:
        assert not c.holder_id and not c.place_id, c.label


def check_history(c: Carrier, events: list[CustodyEvent], handed: set[tuple]) -> None:
    """CR-4/CR-3: the history is one unbroken chain ending in the current custody, and hands a
    carrier from one holder to another only through a completed, twice-signed handover (CR-13)."""
    assert events and events[0].kind in ("register", "copy", "declare")
    assert not events[0].status_before
    # CR-2: a declared paper leaves that state only by its registration into the registry.
    for event in events[1:]:
        if event.status_before == Status.DECLARED and event.status_after != Status.DECLARED:
            assert event.kind in (EventKind.REGISTER, EventKind.REPORT_LOST), (c.label, event.kind)
    for previous, event in itertools.pairwise(events):
        assert event.status_before == previous.status_after, c.label
        assert event.holder_before_id == previous.holder_after_id, c.label
        if event.holder_before_id and event.holder_after_id:
            # Events that move nothing (签收, 更正, 复制 of the original) keep the holder; the
            # only real move between two holders is a handover the registry completed.
            assert event.status_after == event.status_before, c.label
            if event.holder_after_id != event.holder_before_id:
                assert event.kind == EventKind.HANDOVER, (c.label, event.kind)
                move = (c.pk, event.holder_before_id, event.holder_after_id)
                assert move in handed, (c.label, move)
    last = events[-1]
    assert (last.status_after, last.holder_after_id) == (c.status, c.holder_id), c.label


def check_assigned(c: Carrier) -> None:
    """DEV-1: 在用 is a device with its 责任人 — not a loan, so no due date."""
    if c.status == Status.ASSIGNED:
        assert c.kind in DEVICE_KINDS and c.due_date is None and c.holder_id, c.label


def check_copy_level(c: Carrier) -> None:
    """CL-5: a copy is never below its original and keeps its period."""
    if c.original is not None:
        assert LEVEL_RANK[Level(c.level)] >= LEVEL_RANK[Level(c.original.level)], c.label
        assert c.period == c.original.period, c.label


def check_holder_may_hold(c: Carrier) -> None:
    """PER-1: whoever holds a carrier is cleared for its level and inside its scope."""
    if c.holder is not None:
        assert may_hold(c.holder, c), (c.label, c.holder.name)


def check_one_audit_row_per_custody_event() -> None:
    """SEC-4: every custody event has its audit row (and no carrier row lacks its event)."""
    carrier_rows = AuditEvent.objects.filter(
        event_type__startswith="carrier.", outcome=Outcome.DONE
    ).count()
    assert CustodyEvent.objects.count() == carrier_rows


def check_destructions() -> None:
    """CR-12, APR-1: every destroyed list had two different witnesses, cleared for its highest
    level, neither of them the person who listed or asked for it; its carriers all DESTROYED,
    and no carrier DESTROYED outside a destroyed list."""
    destroyed_lists = DestructionList.objects.filter(status=ListStatus.DESTROYED).select_related(
        "request"
    )
    on_lists: set[int] = set()
    for dlist in destroyed_lists.prefetch_related("witnesses", "items__carrier"):
        witnesses = list(dlist.witnesses.all())
        carriers = [i.carrier for i in dlist.items.all()]
        on_lists.update(c.pk for c in carriers)
        assert len(witnesses) >= 2 and len({w.pk for w in witnesses}) == len(witnesses)
        askers = {dlist.created_by_id, dlist.request.requester_id}
        top = max((c.level for c in carriers), key=lambda lv: LEVEL_RANK[Level(lv)])
        for witness in witnesses:
            assert witness.pk not in askers, (dlist.number, witness.name)
            assert witness.covers(top) and not witness.has_system_role, witness.name
        assert {c.status for c in carriers} == {Status.DESTROYED}, dlist.number
        assert dlist.request.status == RequestStatus.CONSUMED
    destroyed = set(Carrier.objects.filter(status=Status.DESTROYED).values_list("pk", flat=True))
    assert destroyed == on_lists


def check_dossiers() -> None:
    """CL-6: nothing gone from the unit is still filed; each dossier carries the highest level
    of what it holds (公开 when empty)."""
    filed = DossierItem.objects.filter(removed_at__isnull=True).select_related("carrier")
    by_dossier: dict[int, list[str]] = {}
    for item in filed:
        assert item.carrier.status not in TERMINAL, (item.carrier.label, item.carrier.status)
        by_dossier.setdefault(item.dossier_id, []).append(item.carrier.level)
    for dossier in Dossier.objects.all():
        levels = by_dossier.get(dossier.pk, [Level.PUBLIC])
        top = max(levels, key=lambda lv: LEVEL_RANK[Level(lv)])
        assert dossier.level == top, (dossier.number, dossier.level, top)


def check_approvals() -> None:
    """APR-1/APR-2: no approved request was approved by its requester or beneficiary, and its
    approver had the authority and the clearance for every carrier in it."""
    steps = (
        ApprovalStep.objects.filter(outcome=StepOutcome.APPROVED)
        .select_related("request", "approver")
        .prefetch_related("request__carriers", "approver__authorities")
    )
    for step in steps:
        request, approver = step.request, step.approver
        assert step.approver_id not in (request.requester_id, request.beneficiary_id)
        authority = next(a for a in approver.authorities.all() if a.kind == request.kind)
        for c in request.carriers.all():
            assert approver.covers(c.level)
            assert LEVEL_RANK[Level(c.level)] <= LEVEL_RANK[Level(authority.max_level)]


def everything() -> dict:
    """Every business row, the lifecycle apps' included, to compare before/after a refusal."""
    state = {**db_state(), **my_state()}
    models = (
        CirculationSlip,
        SlipReader,
        Dispatch,
        Dispatch.couriers.through,
        DispatchItem,
        RecallItem,
        Stocktake,
        StocktakeScan,
        Reclassification,
        Notice,
    )
    for model in models:
        state[model._meta.label] = list(model.objects.order_by("pk").values())
    return state


def test_custody_invariants_hold_under_random_actions(db):
    run_state_machine_as_test(
        CustodyMachine,
        settings=hypothesis_settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
