"""Every list page exports what it shows (design.md "Pages"): the rows this viewer may see, with the
page's filters, as xlsx and as an A4 PDF — marked (SEC-5), audited as a read without classified
text (SEC-4), and refused to whoever may not open the list."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from openpyxl import load_workbook

from baomi.approvals import actions as approvals
from baomi.approvals.choices import RequestKind
from baomi.audit.models import AuditEvent
from baomi.carriers import actions as carriers
from baomi.carriers.choices import CarrierKind, PlaceKind, Source
from baomi.carriers.models import Place
from baomi.carriers.registration import Registration
from baomi.classification.choices import Level
from baomi.destruction import actions as destruction
from baomi.dispatch import actions as dispatch
from baomi.handover import actions as handover
from baomi.incidents import actions as incidents
from baomi.lib import exports
from baomi.org import actions as org
from baomi.org.models import Person
from baomi.stocktake import actions as stocktake
from tests.factories import World, approved, person, receive
from tests.lifecycle import approved_list, dossier
from tests.web.test_ledger_printouts import pdf_text

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SECRET_TITLE = "绝不能出现在审计里的标题"


@dataclass(frozen=True)
class Scene:
    """What one list shows one viewer: a row they see, one they may not, and a filter."""

    viewer: Person
    shown: str  # the first cell of a row the viewer sees
    hidden: str | None  # … of a row they may not see (None: the auditor sees the whole trail)
    params: dict  # a filter of the list page …
    kept: str  # … keeps this row
    dropped: str  # … and drops this one
    outsider: Person  # may not open the list at all
    marking: str  # the file's first line


@dataclass(frozen=True)
class Case:
    app: str  # URL namespace of the list
    title: str
    event: str
    build: Callable[[World], Scene] = field(repr=False)

    def __str__(self) -> str:
        return self.app


def other_units_clerk(w: World) -> tuple[Person, Place]:
    """The province office's registry clerk and cabinet: a unit whose rows ours never show."""
    system = org.automation_actor(w.province)
    registry = org.create_department(system, w.province, name="省机要室")
    clerk = person(
        system, w.province, "省保密员", registry, "core", "shengbaomi", roles=("is_registry_clerk",)
    )
    place = Place.objects.create(unit=w.province, name="省机要室文件柜", kind=PlaceKind.CABINET)
    return clerk, place


def registered_by(clerk: Person, place: Place):
    (made,) = carriers.register(
        clerk,
        Registration(
            kind=CarrierKind.DOCUMENT,
            title="省里的文件",
            doc_date=date(2026, 1, 5),
            level=Level.CONFIDENTIAL,
            source=Source.RECEIVED,
            issuer="国家某部",
            doc_number="国发〔2026〕1号",
            place=place,
            scope_departments=list(clerk.unit.departments.all()),
        ),
    )
    return made


def send(clerk: Person, carrier, recipient: str = "XX县政府办"):
    return dispatch.dispatch(
        clerk,
        dispatch.DispatchForm(
            carriers=[carrier], recipient_unit=recipient, channel="exchange_station"
        ),
    )


# --- one scene per list --------------------------------------------------------------------------


def audit_scene(w: World) -> Scene:
    receive(w, title=SECRET_TITLE)
    register = AuditEvent.objects.filter(event_type="carrier.register").latest("seq")
    other = AuditEvent.objects.exclude(event_type="carrier.register").earliest("seq")
    return Scene(
        viewer=w.auditor,
        shown=str(register.seq),
        hidden=None,
        params={"event_type": "carrier.register"},
        kept=str(register.seq),
        dropped=str(other.seq),
        outsider=w.clerk,
        marking="内部",
    )


def requests_scene(w: World) -> Scene:
    mine = approved(w, RequestKind.LOAN, [receive(w, title=SECRET_TITLE)])
    pending = approvals.create_request(
        w.zhang,
        approvals.RequestForm(
            kind=RequestKind.LOAN,
            carriers=[receive(w, level=Level.CONFIDENTIAL)],
            reason="工作需要",
            approver=w.leader,
            due_date=timezone.localdate() + timedelta(days=7),
        ),
    )
    theirs = approved(w, RequestKind.LOAN, [receive(w, level=Level.CONFIDENTIAL)], requester=w.li)
    return Scene(
        viewer=w.zhang,
        shown=f"#{mine.pk}",
        hidden=f"#{theirs.pk}",
        params={"status": "approved"},
        kept=f"#{mine.pk}",
        dropped=f"#{pending.pk}",
        outsider=w.auditor,
        marking="机密",
    )


def dispatch_scene(w: World) -> Scene:
    waiting = send(w.clerk, receive(w, level=Level.CONFIDENTIAL, title=SECRET_TITLE))
    signed = send(w.clerk, receive(w, level=Level.CONFIDENTIAL))
    dispatch.record_receipt(w.clerk, signed, signed_by="刘收文")
    their_clerk, their_place = other_units_clerk(w)
    theirs = send(their_clerk, registered_by(their_clerk, their_place))
    return Scene(
        viewer=w.clerk,
        shown=f"#{waiting.pk}",
        hidden=f"#{theirs.pk}",
        params={"receipt": "pending"},
        kept=f"#{waiting.pk}",
        dropped=f"#{signed.pk}",
        outsider=w.zhang,
        marking="秘密",
    )


def archive_scene(w: World) -> Scene:
    from baomi.archive import actions as archive

    secret = dossier(w, "2026-WS-001")
    archive.archive(w.clerk, receive(w, title=SECRET_TITLE), secret)
    confidential = dossier(w, "2026-WS-002")
    archive.archive(w.clerk, receive(w, level=Level.CONFIDENTIAL), confidential)
    finance = dossier(w, "2026-WS-003")  # holds only what 财务科 may see
    archive.archive(w.clerk, receive(w, scope_departments=[w.finance]), finance)
    return Scene(
        viewer=w.zhang,
        shown=secret.number,
        hidden=finance.number,
        params={"level": "confidential"},
        kept=confidential.number,
        dropped=secret.number,
        outsider=w.auditor,
        marking="机密",
    )


def destruction_scene(w: World) -> Scene:
    destroyed = approved_list(w, [receive(w, title=SECRET_TITLE)])
    destruction.destroy(
        w.clerk,
        destroyed,
        method="shred",
        place="销毁中心",
        witnesses=[w.zhang, w.classifier],
    )
    submitted = approved_list(w, [receive(w, level=Level.CONFIDENTIAL)])
    draft = destruction.create_list(w.clerk, [receive(w)])  # the leader has no part in it yet
    return Scene(
        viewer=w.leader,
        shown=submitted.number,
        hidden=draft.number,
        params={"status": "submitted"},
        kept=submitted.number,
        dropped=destroyed.number,
        outsider=w.auditor,
        marking="机密",
    )


def handover_scene(w: World) -> Scene:
    carriers.circulate(w.clerk, receive(w, level=Level.CONFIDENTIAL, title=SECRET_TITLE), w.li)
    cancelled = handover.open_handover(w.clerk, w.li, w.zhang)
    handover.cancel(w.clerk, cancelled)
    open_ = handover.open_handover(w.clerk, w.li, w.zhang)
    carriers.circulate(w.clerk, receive(w, level=Level.CONFIDENTIAL), w.classifier)
    between_others = handover.open_handover(w.clerk, w.classifier, w.zhang)
    return Scene(
        viewer=w.li,
        shown=f"#{open_.pk}",
        hidden=f"#{between_others.pk}",
        params={"status": "open"},
        kept=f"#{open_.pk}",
        dropped=f"#{cancelled.pk}",
        outsider=w.auditor,
        marking="秘密",
    )


def stocktake_scene(w: World) -> Scene:
    receive(w, title=SECRET_TITLE)
    closed = stocktake.start(w.clerk, place=w.cabinet)
    stocktake.close(w.clerk, closed)
    running = stocktake.start(w.clerk, place=w.safe)
    theirs = stocktake.start(other_units_clerk(w)[0], place=None)
    return Scene(
        viewer=w.clerk,
        shown=f"清查 #{running.pk}",
        hidden=f"清查 #{theirs.pk}",
        params={"state": "open"},
        kept=f"清查 #{running.pk}",
        dropped=f"清查 #{closed.pk}",
        outsider=w.zhang,
        marking="内部",
    )


def incidents_scene(w: World) -> Scene:
    def report(actor, level, summary=SECRET_TITLE):
        return incidents.open_incident(
            actor,
            kind="leak",
            summary=summary,
            level=level,
            discovered_at=timezone.now() - timedelta(hours=1),
            discovered_where="办公室",
            discovered_by=actor,
        )

    reported = report(w.clerk, Level.SECRET)
    incidents.report_to_authority(w.clerk, reported, reference="市保密局〔2026〕9号")
    still_open = report(w.clerk, Level.CONFIDENTIAL, summary="另一起")
    theirs = report(other_units_clerk(w)[0], Level.SECRET)
    return Scene(
        viewer=w.clerk,
        shown=f"#{reported.pk}",
        hidden=f"#{theirs.pk}",
        params={"state": "reported"},
        kept=f"#{reported.pk}",
        dropped=f"#{still_open.pk}",
        outsider=w.auditor,
        marking="机密",
    )


CASES = [
    Case("audit", "审计记录", "audit.export", audit_scene),
    Case("approvals", "申请", "request.export", requests_scene),
    Case("dispatch", "发文登记", "dispatch.export", dispatch_scene),
    Case("archive", "档案卷宗", "dossier.export", archive_scene),
    Case("destruction", "销毁清单", "destruction.export", destruction_scene),
    Case("handover", "涉密载体交接", "handover.export", handover_scene),
    Case("stocktake", "涉密载体清查", "stocktake.export", stocktake_scene),
    Case("incidents", "失泄密事件登记表", "incident.export", incidents_scene),
]
each_list = pytest.mark.parametrize("case", CASES, ids=str)


def xlsx_of(client, case: Case, params=None):
    r = client.get(reverse(f"{case.app}:export"), params or {})
    assert r.status_code == 200, r.content.decode()[:500]
    assert r["Content-Type"] == XLSX
    assert r["Content-Disposition"].startswith("attachment;")
    return load_workbook(BytesIO(r.getvalue())).active


def cells(ws) -> set[str]:
    """The first cell of every row under the headers (what names the row), as text."""
    return {str(row[0]) for row in ws.iter_rows(min_row=4, values_only=True)}


@each_list
def test_xlsx_has_the_marking_the_headers_and_only_the_rows_the_viewer_sees(world, as_, case):
    scene = case.build(world)
    ws = xlsx_of(as_(scene.viewer), case)
    assert ws["A1"].value == scene.marking and ws["A1"].font.bold
    assert case.title in ws["A2"].value and scene.viewer.name in ws["A2"].value
    assert all(cell.font.bold for cell in ws[3]) and ws.freeze_panes == "A4"
    shown = cells(ws)
    assert scene.shown in shown
    if scene.hidden is not None:
        assert scene.hidden not in shown


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext 未安装")
@each_list
def test_pdf_is_marked_and_reads_back_with_the_title_and_a_row(world, as_, case):
    scene = case.build(world)
    r = as_(scene.viewer).get(reverse(f"{case.app}:export_pdf"))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    assert text.startswith(scene.marking)  # the page head carries the marking
    assert case.title in text and "".join(scene.shown.split()) in text


@each_list
def test_the_export_is_an_audited_read_without_classified_text(world, as_, case):
    scene = case.build(world)
    client = as_(scene.viewer)
    rows = list(xlsx_of(client, case).iter_rows(min_row=4, values_only=True))
    client.get(reverse(f"{case.app}:export_pdf"))
    events = list(AuditEvent.objects.filter(event_type=case.event).order_by("seq"))
    assert [e.after["form"] for e in events] == ["xlsx", "pdf"]
    # The trail's PDF also lists the row its xlsx export wrote.
    grown = 1 if case.app == "audit" else 0
    assert [e.after["count"] for e in events] == [len(rows), len(rows) + grown]
    for event in events:
        assert event.outcome == "read" and event.actor_id == scene.viewer.pk
        assert Level(event.after["max_level"]).label == scene.marking
        assert SECRET_TITLE not in str(event.after) + event.object_text + event.message


@each_list
def test_the_export_follows_the_lists_filter(world, as_, case):
    scene = case.build(world)
    client = as_(scene.viewer)
    everything = cells(xlsx_of(client, case))
    assert {scene.kept, scene.dropped} <= everything
    filtered = cells(xlsx_of(client, case, scene.params))
    assert scene.kept in filtered and scene.dropped not in filtered


@each_list
def test_someone_not_allowed_the_list_gets_no_export(world, as_, case):
    scene = case.build(world)
    client = as_(scene.outsider)
    assert client.get(reverse(f"{case.app}:list")).status_code in (403, 404)
    for name in ("export", "export_pdf"):
        assert client.get(reverse(f"{case.app}:{name}")).status_code in (403, 404)
    assert not AuditEvent.objects.filter(event_type=case.event).exists()


@each_list
def test_the_list_page_offers_both_exports_with_its_filter(world, as_, case):
    scene = case.build(world)
    html = as_(scene.viewer).get(reverse(f"{case.app}:list"), scene.params).content.decode()
    query = urlencode(scene.params)
    for name, icon in (("export", "bi-file-earmark-excel"), ("export_pdf", "bi-file-earmark-pdf")):
        assert f'href="{reverse(f"{case.app}:{name}")}?{query}"' in html
        assert icon in html


@each_list
def test_too_long_a_list_is_refused_with_a_hint_not_cut(world, as_, case, monkeypatch):
    scene = case.build(world)
    monkeypatch.setattr(exports, "XLSX_LIMIT", 0)
    r = as_(scene.viewer).get(reverse(f"{case.app}:export"))
    assert r.status_code == 422 and "缩小筛选范围" in r.content.decode()
    assert not AuditEvent.objects.filter(event_type=case.event).exists()


def test_carrier_lists_name_their_secret_lines_by_number_in_the_trail(world, as_):
    w = world
    carrier = receive(w, title=SECRET_TITLE)
    approved(w, RequestKind.LOAN, [carrier])
    xlsx_of(as_(w.zhang), CASES[1])
    event = AuditEvent.objects.get(event_type="request.export")
    assert event.after["max_level"] == "secret"
    assert event.after["audited_reads"] == [carrier.label]


def test_typed_text_starting_with_equals_stays_text(world, as_):
    w = world
    send(w.clerk, receive(w, level=Level.CONFIDENTIAL), recipient='=HYPERLINK("http://x","y")')
    ws = xlsx_of(as_(w.clerk), CASES[2])
    cell = next(c for c in ws[4] if str(c.value).startswith("=HYPERLINK"))
    assert cell.data_type == "s"


def test_the_trail_is_exported_in_the_order_the_page_sorts_it(world, as_):
    receive(world)
    client = as_(world.auditor)
    newest_first = [
        row[0] for row in xlsx_of(client, CASES[0]).iter_rows(min_row=4, values_only=True)
    ]
    assert newest_first == sorted(newest_first, reverse=True) and len(newest_first) > 2
    oldest_first = xlsx_of(client, CASES[0], {"sort": "seq"}).iter_rows(min_row=4, values_only=True)
    assert [row[0] for row in oldest_first][:3] == sorted(newest_first)[:3]
