"""登记 page (CR-1): clerks only; fields or a marking text; refusals and bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse

from baomi.audit.models import AuditEvent
from baomi.carriers.models import Carrier
from baomi.classification.choices import PeriodKind

URL = reverse("carriers:register")


def received(w, **over):
    data = {
        "source": "received",
        "kind": "document",
        "title": "关于做好年度保密工作的通知",
        "issuer": "XX省保密局",
        "doc_number": "X保发〔2026〕3号",
        "doc_date": "2026-01-10",
        "pages": "4",
        "level": "secret",
        "copies": "2",
        "place": w.cabinet.pk,
        "scope_departments": [w.office.pk],
        "scope_people": [w.zhang.pk],
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def test_clerk_registers_two_copies_and_lands_on_the_filtered_ledger(world, as_):
    w = world
    r = as_(w.clerk).post(URL, received(w), follow=True)
    made = list(Carrier.objects.order_by("copy_no"))
    assert [c.copy_no for c in made] == [1, 2]
    number = made[0].number
    assert r.redirect_chain[-1][0] == f"{reverse('carriers:list')}?q={number}"
    html = r.content.decode()
    assert f"已登记 2 份：{made[0].label}、{made[1].label}" in html
    assert made[0].marking == "机密★20年"  # CL-3 default for a received item
    assert set(made[0].scope_people.all()) == {w.zhang}
    assert set(made[0].scope_departments.all()) == {w.office}


def test_a_marking_text_fills_level_and_period(world, as_):
    w = world
    as_(w.clerk).post(URL, received(w, level="", marking=" 机密 ☆ 5年 ", copies="1"))
    carrier = Carrier.objects.get()
    assert carrier.level == "secret" and carrier.period_kind == PeriodKind.YEARS
    assert carrier.period_years == 5 and carrier.marking == "机密★5年"


def test_period_fields(world, as_):
    w = world
    as_(w.clerk).post(
        URL, received(w, period_kind="condition", period_condition="启用前", copies="1")
    )
    assert Carrier.objects.get().marking == "机密★启用前"


def test_produced_item_with_classifier_and_reviewer(world, as_):
    w = world
    r = as_(w.clerk).post(
        URL,
        received(
            w,
            source="produced",
            issuer="",
            level="confidential",
            period_kind="years",
            period_years="5",
            basis="保密事项目录第3条",
            classifier=w.classifier.pk,
            marking_reviewer=w.clerk.pk,
            copies="1",
        ),
    )
    assert r.status_code == 302
    assert Carrier.objects.get().classifier == w.classifier


@pytest.mark.parametrize(
    ("over", "field_message"),
    [
        ({"title": ""}, "这个字段是必填项"),
        ({"doc_date": "2026-02-30"}, "有效的日期"),
        ({"copies": "0"}, "大于或等于1"),
        ({"copies": "abc"}, "整数"),
        ({"place": "999"}, "选择一个有效的选项"),
        ({"level": "", "marking": ""}, "请选择密级，或填写密级标志"),
        ({"level": "", "marking": "机密★abc"}, "机密★abc"),
        ({"level": "", "marking": "随便写写"}, "不是密级标志"),
        ({"level": "", "marking": "内部★1年"}, "CL-12"),
        ({"level": "confidential", "marking": "机密★5年"}, "不一致"),
        ({"period_kind": "years", "period_years": ""}, "请填写保密期限"),
        ({"period_kind": "condition", "period_condition": "三天"}, "前"),
        ({"scope_people": ["abc"]}, "有效"),
    ],
)
def test_bad_input_is_a_form_error_and_registers_nothing(world, as_, over, field_message):
    w = world
    r = as_(w.clerk).post(URL, received(w, **over))
    assert r.status_code == 422
    html = r.content.decode()
    assert "提交未成功" in html and field_message in html
    assert not Carrier.objects.exists()


@pytest.mark.parametrize(
    ("over", "rule"),
    [
        (
            {
                "source": "produced",
                "issuer": "",
                "level": "secret",
                "period_kind": "years",
                "period_years": "5",
                "basis": "目录",
            },
            "CL-11",
        ),
        ({"level": "top_secret"}, "CR-15"),
        ({"period_kind": "years", "period_years": "30"}, "CL-3"),
        ({"scope_departments": [], "scope_people": []}, "CL-2"),
        ({"issuer": ""}, "CL-2"),
    ],
)
def test_rule_refusals_show_their_rule_id_and_register_nothing(world, as_, over, rule):
    w = world
    r = as_(w.clerk).post(URL, received(w, **over))
    assert r.status_code == 403
    assert f"规则 {rule}" in r.content.decode()
    assert not Carrier.objects.exists()
    assert AuditEvent.objects.filter(
        event_type="carrier.register", outcome="refused", rule_id=rule
    ).exists()


@pytest.mark.parametrize("who", ["zhang", "leader", "sysadmin", "auditor"])
def test_r_cr_1_only_clerks_may_register(world, as_, who):
    w = world
    client = as_(getattr(w, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, received(w)).status_code == 403
    assert not Carrier.objects.exists()


def test_form_offers_only_the_units_people_and_places(world, as_):
    w = world
    html = as_(w.clerk).get(URL).content.decode()
    assert "机要室保险柜1号" in html and "孙定密" in html
    assert "系统管理员（" not in html and "安全审计员（" not in html
