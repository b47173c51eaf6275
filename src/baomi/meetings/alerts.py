"""MTG-3: meeting papers not back after the meeting are chased — the 保密员 sees every one of
the unit's meetings (up to their level), a holder sees what they hold."""

from __future__ import annotations

from datetime import date

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from baomi.carriers.choices import AT_PLACE
from baomi.carriers.selectors import levels_up_to
from baomi.lib.alerts import Alert, provider
from baomi.meetings.choices import PaperRole
from baomi.meetings.models import MeetingPaper

LIMIT = 200


@provider
def papers_not_back(person, today: date) -> list[Alert]:
    if person is None or person.has_system_role or not person.active:
        return []
    out = MeetingPaper.objects.filter(role=PaperRole.PAPER, handed_out_at__isnull=False).exclude(
        carrier__status__in=AT_PLACE
    )
    # After the meeting: closed, or its day is over.
    out = out.filter(Q(meeting__closed_at__isnull=False) | Q(meeting__starts_at__date__lt=today))
    if person.is_registry_clerk:
        out = out.filter(
            meeting__unit_id=person.unit_id, carrier__level__in=levels_up_to(person.max_level)
        )
    else:
        out = out.filter(carrier__holder=person)
    rows = out.select_related("carrier", "carrier__holder", "meeting").order_by("handed_out_at")
    alerts = []
    for paper in rows[:LIMIT]:
        holder = paper.carrier.holder.name if paper.carrier.holder_id else "（无人持有）"
        alerts.append(
            Alert(
                "meeting_paper_not_back",
                f"{paper.meeting}的会议文件 {paper.carrier.label} 未清退，现由{holder}持有（MTG-3）",
                reverse("meetings:detail", args=[paper.meeting_id]),
                "overdue",
                timezone.localtime(paper.handed_out_at).date(),
                "MTG-3",
                "carrier",
                paper.carrier_id,
            )
        )
    return alerts
