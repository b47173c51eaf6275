"""JSON API: `GET /alerts` — what the caller should act on, most urgent first (design.md)."""

from __future__ import annotations

from datetime import date

from ninja import Router, Schema
from pydantic import Field

from baomi.api.schemas import READ_ERRORS
from baomi.carriers.rules import today
from baomi.lib.alerts import alerts_for

router = Router()


class AlertOut(Schema):
    kind: str = Field(description="提醒类型，如 loan_overdue")
    message: str
    url: str = Field(description="处理该提醒的页面")
    severity: str = Field(description="overdue | due_today | due_soon | info")
    due: date | None
    rule_id: str
    object_type: str
    object_id: int | None


class AlertList(Schema):
    count: int
    results: list[AlertOut]


@router.get("", response={200: AlertList, **READ_ERRORS}, summary="提醒")
def list_alerts(request):
    alerts = alerts_for(request.auth, today())
    return {"count": len(alerts), "results": [a.__dict__ for a in alerts]}
