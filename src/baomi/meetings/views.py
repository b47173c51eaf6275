"""Meeting pages: the register of classified meetings, and one meeting's attendees, approval,
checklist, papers and recall list (MTG-1…3). Thin: parse → action → render."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone

from baomi.audit.trail import record_read
from baomi.carriers.choices import CarrierKind, Source
from baomi.carriers.exports import AUDITED_READ_LEVELS
from baomi.carriers.policies import is_clerk_of
from baomi.carriers.registration import Registration
from baomi.carriers.selectors import carriers_visible_to
from baomi.classification.choices import LEVEL_RANK, Level
from baomi.lib import exports
from baomi.lib.errors import BaomiError, Invalid
from baomi.lib.htmx import render_page
from baomi.meetings import actions
from baomi.meetings.choices import MeetingState, PaperRole
from baomi.meetings.exports import MEETINGS, PAPERS
from baomi.meetings.forms import (
    ApproverForm,
    ChecklistForm,
    MeetingForm,
    PaperForm,
    PeopleForm,
)
from baomi.meetings.rules import may_manage
from baomi.meetings.selectors import meeting_for, meetings_visible_to, not_returned, papers_of
from baomi.web.forms import apply_error, refusal_of
from baomi.web.views import business_person_required, not_found


def _banner(level: str, note: str) -> dict:
    return {"text": Level(level).label, "level": level, "note": note}


def _meetings(request):
    rows = meetings_visible_to(request.person).select_related("organiser", "request")
    level = request.GET.get("level", "")
    if level in Level.values:
        rows = rows.filter(level=level)
    return rows.order_by("-starts_at", "-id")


@business_person_required
def export(request, fmt: str):
    return exports.respond(request, MEETINGS, _meetings(request), fmt)


@business_person_required
def list_page(request):
    person = request.person
    clerk = is_clerk_of(person, person.unit_id)
    form = MeetingForm(request.POST or None, person=person)
    refusal, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                made = actions.create_meeting(
                    person,
                    title=data["title"],
                    level=data["level"],
                    venue=data["venue"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    organiser=data["organiser"],
                )
            except BaomiError as error:
                refusal = apply_error(form, error)
                status = refusal.status
            else:
                messages.success(request, f"已登记{made}，请登记参会人员后送审。")
                return redirect("meetings:detail", pk=made.pk)
        else:
            status = 422
    rows = list(_meetings(request)[:200])
    top = max((m.level for m in rows), key=lambda lv: LEVEL_RANK[Level(lv)], default=None)
    context = {
        "meetings": rows,
        "form": form,
        "is_clerk": clerk,
        "refusal": refusal,
        "levels": [(lv.value, lv.label) for lv in Level if lv != Level.PUBLIC],
        "wanted_level": request.GET.get("level", ""),
        "query": request.GET.urlencode(),
        "page_marking": _banner(top, "（本页最高密级）") if top else None,
        "watermark_text": True,
    }
    return render_page(request, "meetings/list.html", context, status=status)


@business_person_required
def export_papers(request, pk: int, fmt: str):
    meeting = meeting_for(request.person, pk)
    if meeting is None:
        return not_found(request)
    return exports.respond(request, PAPERS, papers_of(meeting), fmt)


def _post(request, meeting):
    """One operation of the detail page; returns the success message."""
    person, op, post = request.person, request.POST.get("op", ""), request.POST
    if op == "add_attendees":
        form = PeopleForm(post, person=person)
        if not form.is_valid():
            raise Invalid("请选择参会人员。", {"people": ["请选择参会人员"]})
        actions.add_attendees(person, meeting, list(form.cleaned_data["people"]))
        return "已登记参会人员。"
    if op == "remove_attendee":
        target = meeting.attendees.filter(person_id=_int(post.get("person"))).first()
        if target is None:
            raise Invalid("此人不在名单中。", {"person": ["不在名单中"]})
        actions.remove_attendee(person, meeting, target.person)
        return f"已将{target.person.name}移出名单。"
    if op in ("submit", "request_attendees"):
        form = ApproverForm(post, person=person)
        if not form.is_valid():
            raise Invalid("请选择审批人。", {"approver": ["请选择审批人"]})
        approver, reason = form.cleaned_data["approver"], form.cleaned_data["reason"]
        if op == "submit":
            actions.submit_for_approval(person, meeting, approver=approver, reason=reason)
            return f"已送{approver.name}审批。"
        people = PeopleForm(post, person=person)
        if not people.is_valid():
            raise Invalid("请选择拟增加的人员。", {"people": ["请选择人员"]})
        made = actions.request_attendees(
            person, meeting, list(people.cleaned_data["people"]), approver=approver, reason=reason
        )
        return f"已提交增加参会人员申请 #{made.pk}，批准后在此登记。"
    if op == "add_approved":
        approval = meeting.unit.requests.filter(pk=_int(post.get("request"))).first()
        people = PeopleForm(post, person=person)
        if approval is None or not people.is_valid():
            raise Invalid("请选择审批单和人员。", {"request": ["请选择审批单和人员"]})
        actions.add_attendees(
            person, meeting, list(people.cleaned_data["people"]), approval=approval
        )
        return "已按批准增加参会人员。"
    if op == "checklist":
        form = ChecklistForm(post)
        form.is_valid()
        actions.record_checklist(person, meeting, **form.cleaned_data)
        return "会前保密检查已登记。"
    if op == "register_papers":
        form = PaperForm(post, person=person)
        if not form.is_valid():
            raise Invalid("会议文件信息有误。", {k: list(v) for k, v in form.errors.items()})
        data = form.cleaned_data
        made = actions.register_papers(
            person,
            meeting,
            Registration(
                kind=CarrierKind.MEETING_PAPER,
                title=data["title"],
                doc_date=data["doc_date"],
                level=data["level"],
                source=Source.RECEIVED,
                place=data["place"],
                copies=data["copies"],
                issuer=data["issuer"],
                doc_number=data["doc_number"],
            ),
        )
        return f"已登记会议文件 {made[0].number}，共 {len(made)} 份。"
    if op == "hand_out":
        done = actions.hand_out(person, meeting, actions.one_per_attendee(meeting))
        return f"已分发 {len(done)} 份会议文件。"
    if op == "collect":
        ids = [_int(v) for v in post.getlist("carriers")]
        carriers = list(carriers_visible_to(person).filter(pk__in=[i for i in ids if i]))
        actions.collect(person, meeting, carriers)
        return f"已收回 {len(carriers)} 份。"
    if op == "close":
        actions.close_meeting(person, meeting)
        return "已登记会议结束。"
    if op == "cancel":
        actions.cancel_meeting(person, meeting, reason=post.get("reason", ""))
        return "会议已取消。"
    raise Invalid("未知操作。", {"op": ["未知操作"]})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@business_person_required
def detail(request, pk: int):
    person = request.person
    meeting = meeting_for(person, pk)
    if meeting is None:
        return not_found(request)
    refusal, status = None, 200
    if request.method == "POST":
        try:
            done = _post(request, meeting)
        except BaomiError as error:
            refusal = refusal_of(error)
            status = refusal.status
        else:
            messages.success(request, done)
            return redirect("meetings:detail", pk=pk)
        meeting = meeting_for(person, pk)
    if request.method == "GET" and meeting.level in AUDITED_READ_LEVELS:
        record_read(person, meeting)  # SEC-4: who came to know a 机密/绝密 meeting
    papers = list(papers_of(meeting))
    context = {
        "m": meeting,
        "attendees": list(meeting.attendees.select_related("person", "approval")),
        "papers": [p for p in papers if p.role == PaperRole.PAPER],
        "minutes": [p for p in papers if p.role == PaperRole.MINUTES],
        "missing": not_returned(meeting),
        "waiting": bool(actions.one_per_attendee(meeting)),
        "can_manage": may_manage(person, meeting),
        "is_clerk": is_clerk_of(person, meeting.unit_id),
        "people_form": PeopleForm(person=person),
        "approver_form": ApproverForm(person=person),
        "checklist_form": ChecklistForm(
            initial={
                "equipment_checked": meeting.equipment_checked,
                "no_wireless_mics": meeting.no_wireless_mics,
                "phones_collected": meeting.phones_collected,
                "attendees_briefed": meeting.attendees_briefed,
                "not_to_record": meeting.not_to_record,
            }
        ),
        "paper_form": PaperForm(
            person=person,
            initial={"level": meeting.level, "copies": meeting.attendees.count() or 1},
        ),
        "approvals": meeting.unit.requests.filter(
            kind="meeting_attendees", status="approved", proposed_change__meeting=meeting.pk
        )
        if meeting.state == MeetingState.APPROVED
        else [],
        "states": MeetingState,
        "refusal": refusal,
        "page_marking": _banner(meeting.level, "（本会议密级）"),
        "watermark_text": f"涉密会议 #{meeting.pk}",
        "now": timezone.now(),
    }
    return render_page(request, "meetings/detail.html", context, status=status)
