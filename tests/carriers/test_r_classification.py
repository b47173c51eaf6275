"""CL rules enforced at registration and copying: CL-1, CL-2, CL-3, CL-5, CL-10, CL-11, CL-12."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from baomi.approvals.choices import RequestKind
from baomi.carriers import actions
from baomi.carriers.choices import CarrierKind, Source, Status
from baomi.carriers.models import Carrier
from baomi.carriers.registration import Registration
from baomi.classification.choices import LEVEL_RANK, Category, Level, PeriodKind
from baomi.classification.periods import Period
from tests.factories import approved, person, receive, refused


def produced(w, **changes) -> Registration:
    """A 机密 document the unit itself produces, filled in correctly (CL-2, CL-10, CL-11)."""
    reg = Registration(
        kind=CarrierKind.DOCUMENT,
        title="本单位工作方案",
        doc_date=date(2026, 1, 5),
        level=Level.SECRET,
        source=Source.PRODUCED,
        place=w.cabinet,
        period=Period.of_years(10),
        basis="本单位保密事项目录第3条",
        classifier=w.classifier,
        marking_reviewer=w.clerk,
        scope_departments=[w.office],
    )
    return replace(reg, **changes)


def received(w, **changes) -> Registration:
    reg = Registration(
        kind=CarrierKind.DOCUMENT,
        title="关于某项工作的通知",
        doc_date=date(2026, 1, 5),
        level=Level.SECRET,
        source=Source.RECEIVED,
        place=w.cabinet,
        issuer="XX省人民政府办公厅",
        doc_number="X政办发〔2026〕1号",
        scope_departments=[w.office],
    )
    return replace(reg, **changes)


# --- CL-1 -----------------------------------------------------------------------------------


def test_r_cl_1_levels_are_ranked_top_secret_to_public():
    order = [Level.TOP_SECRET, Level.SECRET, Level.CONFIDENTIAL, Level.INTERNAL, Level.PUBLIC]
    assert sorted(order, key=LEVEL_RANK.get, reverse=True) == order
    assert len(set(LEVEL_RANK.values())) == len(order)


def test_r_cl_1_state_level_with_work_category_is_refused(world):
    with refused("CL-1"):
        actions.register(world.clerk, received(world, category=Category.WORK))
    assert Carrier.objects.count() == 0


def test_r_cl_1_internal_level_as_state_secret_is_refused(world):
    with refused("CL-1"):
        actions.register(
            world.clerk, received(world, level=Level.INTERNAL, category=Category.STATE)
        )


def test_r_cl_1_category_defaults_from_level(world):
    state = actions.register(world.clerk, received(world))[0]
    work = actions.register(world.clerk, received(world, level=Level.INTERNAL))[0]
    assert (state.category, work.category) == (Category.STATE, Category.WORK)


# --- CL-2 -----------------------------------------------------------------------------------


def test_r_cl_2_produced_state_secret_without_period_is_refused(world):
    with refused("CL-2"):
        actions.register(world.clerk, produced(world, period=None))


def test_r_cl_2_without_scope_is_refused(world):
    with refused("CL-2"):
        actions.register(world.clerk, received(world, scope_departments=[], scope_people=[]))


def test_r_cl_2_received_without_issuer_is_refused(world):
    with refused("CL-2"):
        actions.register(world.clerk, received(world, issuer=" "))


def test_r_cl_2_produced_without_basis_is_refused(world):
    with refused("CL-2"):
        actions.register(world.clerk, produced(world, basis=""))


def test_r_cl_2_registered_item_carries_level_period_scope_basis_classifier(world):
    w = world
    carrier = actions.register(w.clerk, produced(w, scope_people=[w.zhang]))[0]
    carrier.refresh_from_db()
    assert carrier.level == Level.SECRET
    assert carrier.period == Period.of_years(10)
    assert list(carrier.scope_departments.all()) == [w.office]
    assert list(carrier.scope_people.all()) == [w.zhang]
    assert carrier.basis == "本单位保密事项目录第3条"
    assert (carrier.classifier, carrier.classifier_name) == (w.classifier, "孙定密")
    assert carrier.marking == "机密★10年"


# --- CL-3 -----------------------------------------------------------------------------------


def test_r_cl_3_period_beyond_maximum_without_a_decision_is_refused(world):
    with refused("CL-3"):
        actions.register(world.clerk, received(world, period=Period.of_years(21)))


def test_r_cl_3_date_beyond_maximum_without_a_decision_is_refused(world):
    with refused("CL-3"):
        actions.register(
            world.clerk,
            received(world, level=Level.CONFIDENTIAL, period=Period.until_date(date(2036, 1, 6))),
        )


def test_r_cl_3_indefinite_without_a_decision_is_refused_at_every_level(world):
    for level in (Level.CONFIDENTIAL, Level.SECRET, Level.TOP_SECRET):
        place = world.safe if level == Level.TOP_SECRET else world.cabinet
        with refused("CL-3"):
            actions.register(
                world.clerk,
                received(world, level=level, place=place, period=Period.indefinite()),
            )


def test_r_cl_3_indefinite_and_beyond_maximum_rest_on_a_named_decision(world):
    decision = "保密事项目录第12项；定密责任人决定 X保定〔2026〕3号"
    forever = actions.register(
        world.clerk, received(world, period=Period.indefinite(), basis=decision)
    )[0]
    longer = actions.register(
        world.clerk, received(world, period=Period.of_years(25), basis=decision)
    )[0]
    assert forever.marking == "机密★长期" and forever.basis == decision
    assert longer.period_years == 25


def test_r_cl_3_received_item_without_period_gets_the_maximum(world):
    w = world
    secret = receive(w)
    top = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader])
    confidential = receive(w, level=Level.CONFIDENTIAL)
    assert [c.period for c in (top, secret, confidential)] == [
        Period.of_years(30),
        Period.of_years(20),
        Period.of_years(10),
    ]
    assert secret.marking == "机密★20年"
    assert top.marking == "绝密★30年"


def test_r_cl_3_explicit_period_at_the_maximum_is_accepted(world):
    at_max = actions.register(world.clerk, received(world, period=Period.of_years(20)))[0]
    assert at_max.period_years == 20
    assert at_max.period_kind == PeriodKind.YEARS and at_max.marking == "机密★20年"


# --- CL-5 -----------------------------------------------------------------------------------


def test_r_cl_5_copy_at_a_lower_level_is_refused(world):
    w = world
    original = receive(w)
    request = approved(w, RequestKind.COPY, [original], copies=1)
    with refused("CL-5"):
        actions.copy(w.clerk, original, request, copies=1, level=Level.CONFIDENTIAL)
    assert Carrier.objects.filter(original=original).count() == 0


def test_r_cl_5_copy_keeps_level_period_scope_and_links_original(world):
    w = world
    original = receive(w, period=Period.of_years(5), scope_people=[w.li])
    request = approved(w, RequestKind.COPY, [original], copies=2)
    made = actions.copy(w.clerk, original, request, copies=2)
    assert [c.copy_no for c in made] == [1, 2]
    assert len({c.number for c in made}) == 1 and made[0].number != original.number
    for copy_ in made:
        copy_.refresh_from_db()
        assert copy_.original == original and copy_.source == Source.COPY
        assert (copy_.level, copy_.category, copy_.period) == (
            original.level,
            original.category,
            original.period,
        )
        assert copy_.marking == original.marking == "机密★5年"
        assert set(copy_.scope_people.all()) == {w.li}
        assert set(copy_.scope_departments.all()) == {w.office}
        assert copy_.copy_stamp and copy_.status == Status.IN_REGISTRY


# --- CL-10 ----------------------------------------------------------------------------------


def test_r_cl_10_produced_state_secret_without_marking_review_is_refused(world):
    with refused("CL-10"):
        actions.register(world.clerk, produced(world, marking_reviewer=None))


def test_r_cl_10_classifier_cannot_review_own_marking(world):
    with refused("CL-10"):
        actions.register(world.clerk, produced(world, marking_reviewer=world.classifier))


def test_r_cl_10_reviewer_must_be_from_the_secrecy_office(world):
    with refused("CL-10"):
        actions.register(world.clerk, produced(world, marking_reviewer=world.zhang))


# --- CL-11 ----------------------------------------------------------------------------------


def test_r_cl_11_level_beyond_unit_authority_is_refused(world):
    w = world  # the unit may classify up to 机密
    with refused("CL-11"):
        actions.register(
            w.clerk, produced(w, level=Level.TOP_SECRET, place=w.safe, classifier=w.leader)
        )


def test_r_cl_11_classifier_must_be_a_designated_classifier(world):
    with refused("CL-11"):
        actions.register(world.clerk, produced(world, classifier=world.zhang))


def test_r_cl_11_classifier_must_be_cleared_for_the_level(world):
    w = world
    junior = person(w.system, w.unit, "周定密", w.office, "general", "", roles=("is_classifier",))
    with refused("CL-11"):
        actions.register(w.clerk, produced(w, classifier=junior))


def test_r_cl_11_received_item_follows_the_issuers_classification(world):
    # 派生定密: a received 绝密 item is registered although the unit may only originate 机密.
    w = world
    top = receive(w, level=Level.TOP_SECRET, scope_people=[w.leader])
    assert top.level == Level.TOP_SECRET and top.classifier_name == "XX省人民政府办公厅"


# --- CL-12 ----------------------------------------------------------------------------------


def test_r_cl_12_internal_marking_never_has_a_star(world):
    w = world
    internal = actions.register(w.clerk, received(w, level=Level.INTERNAL))[0]
    assert internal.marking == "内部"
    assert "★" not in internal.marking
    assert internal.period is None


def test_r_cl_12_an_internal_item_stores_no_period(world):
    with refused("CL-12"):
        actions.register(
            world.clerk, received(world, level=Level.INTERNAL, period=Period.of_years(2))
        )


def test_r_cl_12_marking_changes_with_level_and_period(world):
    carrier = receive(world)
    assert carrier.marking == "机密★20年"
    carrier.level = Level.CONFIDENTIAL
    assert carrier.marking == "秘密★20年"
    carrier.period_years = 5
    assert carrier.marking == "秘密★5年"
    carrier.period_kind, carrier.period_years = PeriodKind.CONDITION, None
    carrier.period_condition = "启用前"
    assert carrier.marking == "秘密★启用前"
    carrier.level, carrier.category = Level.INTERNAL, Category.WORK
    assert carrier.marking == "内部"
