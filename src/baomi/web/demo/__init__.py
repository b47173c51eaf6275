"""The demo data behind `baomi demo`: one city office with people, places and ~300 carriers.

Everything past the bootstrap goes through the actions, so every carrier has the custody and audit
history a real one would have: registered, circulated (some acknowledged), lent and taken out
against approved requests, copied (a 绝密 copy with the issuer's consent), relocated, amended,
voided, reported lost. Loans cannot be made overdue honestly — nothing can be registered or lent in
the past — so a few are due today and tomorrow instead; they turn overdue by themselves.

The bootstrap writes two things directly, because no action exists for them yet: the root unit
(there is nobody to act for it before it exists) and the registry's places.

The office and its registrations are in `office`, their custody history in `custody`, the
review and lifecycle parts in `review` and `lifecycle`; the other apps load theirs from their
own `demo` modules.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction

from baomi.carriers.models import Carrier
from baomi.org.models import Unit
from baomi.web.demo.lifecycle import load_lifecycle_demo
from baomi.web.demo.office import DemoAccount, _Demo
from baomi.web.demo.review import load_review_demo
from baomi.web.demo_data import DEMO_PASSWORD, UNIT_CODE, UNIT_NAME

__all__ = [
    "DEMO_PASSWORD",
    "UNIT_NAME",
    "DemoAccount",
    "DemoResult",
    "demo_exists",
    "load_demo",
]


@dataclass
class DemoResult:
    created: bool
    accounts: list[DemoAccount] = field(default_factory=list)
    by_status: dict[str, int] = field(default_factory=dict)
    carriers: int = 0


def demo_exists() -> bool:
    return (
        Unit.objects.filter(code=UNIT_CODE).exists() or Unit.objects.filter(name=UNIT_NAME).exists()
    )


def load_personnel_demo(demo) -> None:
    """涉密人员 and the secrecy organisation (personnel/demo.py)."""
    from baomi.personnel.demo import load_personnel_demo as load

    load(demo)


def load_stocktake_demo(demo) -> None:
    """清查, 密级变更 and 通知 (stocktake/demo.py)."""
    from baomi.stocktake.demo import load_stocktake_demo as load

    load(demo)


def load_dispatch_demo(demo) -> None:
    """发文, 清退, 传阅单 and the default approval paths (dispatch/demo.py)."""
    from baomi.dispatch.demo import load_dispatch_demo as load

    load(demo)


def load_meetings_and_sites_demo(demo) -> None:
    """涉密会议, 外出会议带回文件 and 要害部门部位 (meetings/, outside_meetings/, sites/demo.py)."""
    from baomi.meetings.demo import load_meetings_demo
    from baomi.outside_meetings.demo import load_outside_meetings_demo
    from baomi.sites.demo import load_sites_demo

    load_meetings_demo(demo)
    load_outside_meetings_demo(demo)
    load_sites_demo(demo)


def load_incidents_demo(demo) -> None:
    """失泄密事件, 应急预案 and 演练 (incidents/demo.py)."""
    from baomi.incidents.demo import load_incidents_demo as load

    load(demo)


def load_assessments_demo(demo) -> None:
    """The yearly assessment's scoring sheet and last year's assessment (assessments/demo.py)."""
    from baomi.assessments.demo import load_assessments_demo as load

    load(demo)


def load_demo(seed: int = 2026) -> DemoResult:
    """Create the demo office, all or nothing; does nothing when it exists already."""
    if demo_exists():
        return DemoResult(created=False)
    with transaction.atomic():
        demo = _Demo(random.Random(seed))
        demo.build()
        load_review_demo(demo)
        load_lifecycle_demo(demo)
        load_personnel_demo(demo)
        load_stocktake_demo(demo)
        load_dispatch_demo(demo)
        load_meetings_and_sites_demo(demo)
        load_incidents_demo(demo)
        load_assessments_demo(demo)
    by_status = Counter(Carrier.objects.filter(unit=demo.unit).values_list("status", flat=True))
    return DemoResult(
        created=True,
        accounts=demo.accounts,
        by_status=dict(by_status),
        carriers=sum(by_status.values()),
    )
