"""Builders and refusal checks for the archive, destruction and handover tests."""

from __future__ import annotations

from contextlib import contextmanager

from baomi.approvals import actions as approvals
from baomi.archive import actions as archive
from baomi.carriers.choices import PlaceKind
from baomi.carriers.models import Place
from baomi.destruction import actions as destruction
from tests.factories import refused


def my_state() -> dict:
    from baomi.archive.models import Dossier, DossierItem
    from baomi.destruction.models import DestructionItem, DestructionList
    from baomi.handover.models import Handover, HandoverItem

    models = (Dossier, DossierItem, DestructionList, DestructionItem, Handover, HandoverItem)
    state = {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}
    state["witnesses"] = list(DestructionList.witnesses.through.objects.values())
    return state


@contextmanager
def refused_all(rule_id: str, **kwargs):
    """`factories.refused` plus this part's own tables unchanged."""
    before = my_state()
    with refused(rule_id, **kwargs) as info:
        yield info
    assert my_state() == before, "a refused action changed archive/destruction/handover data"


def archive_room(w) -> Place:
    return Place.objects.get_or_create(
        unit=w.unit, name="档案室", defaults={"kind": PlaceKind.ARCHIVE}
    )[0]


def dossier(w, number="2026-WS-001", *, place=None, leadership_meeting=False):
    return archive.create_dossier(
        w.clerk,
        number=number,
        title="2026年度文书档案",
        year=2026,
        place=place or archive_room(w),
        leadership_meeting=leadership_meeting,
    )


def approved_retrieval(w, carriers, *, approver=None, requester=None):
    request = archive.request_retrieval(
        requester or w.zhang,
        list(carriers),
        reason="查阅历史文件",
        approver=approver or w.leader,
    )
    return approvals.approve(approver or w.leader, request, comment="同意")


def approved_list(w, carriers, *, check=True):
    dlist = destruction.create_list(w.clerk, list(carriers), reason="已办结无保存价值")
    if check:
        for c in carriers:
            destruction.check_item(w.clerk, dlist, c)
    request = destruction.submit(w.clerk, dlist, approver=w.leader)
    approvals.approve(w.leader, request, comment="同意销毁")
    dlist.refresh_from_db()
    return dlist
