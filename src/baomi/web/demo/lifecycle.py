"""Archive, destruction and handover (CR-11, CR-12, CR-13, ARC-1): dossiers, a retrieval,
destruction lists in every stage and an open handover."""

from __future__ import annotations

from baomi.approvals import actions as approvals
from baomi.carriers.choices import CarrierKind
from baomi.classification.choices import Level
from baomi.web.demo.office import _Demo


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
