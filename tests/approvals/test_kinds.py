"""Request kinds registered by domain apps (style.md: the arrow runs from the domain app to the
engine): labels, APR-2 against the kind's level, the kind's own check, APR-3 single use."""

from __future__ import annotations

from pathlib import Path

import pytest

import baomi.approvals
from baomi.approvals import actions, kinds
from baomi.approvals.choices import RequestStatus
from baomi.approvals.rules import consume_registered
from baomi.classification.choices import Level
from baomi.lib.errors import Invalid, RuleViolation
from baomi.org import actions as org
from tests.factories import refused

pytestmark = pytest.mark.django_db

CODE = "test_inspection_visit"
checked: list[int] = []


def _normalize(data, unit_id):
    if not isinstance(data, dict) or data.get("level") not in Level.values:
        raise Invalid("审批内容有误", {"proposed_change": ["须写明密级"]})
    return {"level": data["level"], "what": str(data.get("what", ""))}


def _check(approver, request):
    checked.append(request.pk)
    if request.proposed_change.get("what") == "refuse me":
        raise RuleViolation("SITE-2", "测试：此事项不能批准（SITE-2）。")


@pytest.fixture
def kind():
    spec = kinds.register(
        kinds.KindSpec(
            code=CODE,
            label="测试检查进入",
            rule_id="SITE-2",
            need="测试事项须经批准",
            normalize=_normalize,
            level_of=lambda change: change["level"],
            describe=lambda change: f"测试：{change['what']}",
            check_approvable=_check,
        )
    )
    yield spec
    kinds._registry.pop(CODE, None)


def _form(w, level=Level.SECRET, what="进入机要室"):
    return actions.RequestForm(
        kind=CODE,
        carriers=[],
        reason="测试",
        approver=w.leader,
        proposed_change={"level": level, "what": what},
    )


def test_engine_imports_no_domain_app():
    engine = Path(baomi.approvals.__file__).parent
    for source in engine.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        for app in ("baomi.meetings", "baomi.sites", "baomi.devices"):
            assert app not in text, f"{source.name} imports {app}"


def test_registered_kind_is_approved_through_the_engine(world, kind):
    org.grant_approval_authority(world.system, world.leader, CODE, Level.TOP_SECRET)
    request = actions.create_request(world.zhang, _form(world))
    assert request.get_kind_display() == "测试检查进入"
    assert request.proposed_change_text == "测试：进入机要室"
    actions.approve(world.leader, request)
    assert checked[-1] == request.pk
    used = consume_registered(request, CODE)
    assert used.status == RequestStatus.CONSUMED
    with pytest.raises(RuleViolation) as info:
        consume_registered(request, CODE)
    assert info.value.rule_id == "APR-3"


def test_r_apr_2_registered_kind_checked_against_its_level(world, kind):
    org.grant_approval_authority(world.system, world.leader, CODE, Level.CONFIDENTIAL)
    with refused("APR-2"):
        actions.create_request(world.zhang, _form(world, level=Level.SECRET))


def test_registered_kind_check_refuses_approval(world, kind):
    org.grant_approval_authority(world.system, world.leader, CODE, Level.TOP_SECRET)
    request = actions.create_request(world.zhang, _form(world, what="refuse me"))
    with refused("SITE-2"):
        actions.approve(world.leader, request)


def test_unapproved_registered_request_refused_with_the_kinds_rule(world, kind):
    org.grant_approval_authority(world.system, world.leader, CODE, Level.TOP_SECRET)
    request = actions.create_request(world.zhang, _form(world))
    with pytest.raises(RuleViolation) as info:
        consume_registered(request, CODE)
    assert info.value.rule_id == "SITE-2" and "测试事项须经批准" in info.value.message


def test_unknown_kind_is_invalid(world):
    form = _form(world)
    form.kind = "no_such_kind"
    with pytest.raises(Invalid) as info:
        actions.create_request(world.zhang, form)
    assert "kind" in info.value.detail
