"""Request kinds that domain apps register with the approval engine (style.md: the arrow runs from
the domain app to the engine, as NetBox's plugins register features).

The engine's own kinds are `choices.RequestKind`. A domain app (meetings, devices…) registers
further kinds in its `AppConfig.ready()` with a `KindSpec`: what the kind is called, which rule a
missing approval breaks, what a request of this kind covers (its `proposed_change`, normalised by
the app — APR-3), the level an approver must be cleared and authorised for (APR-2), and a check
the engine asks before every approval step ("may this be approved now?"). The engine never
imports the domain app; it only asks the spec.

Registered codes are stored in `Request.kind` like the built-in ones; the field's choices stay the
engine's, so registering a kind needs no migration of the engine.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from baomi.approvals.choices import RequestKind


def _no_check(approver, request) -> None:
    return None


@dataclass(frozen=True)
class KindSpec:
    code: str  # snake_case, ≤ 32 characters, distinct from RequestKind
    label: str  # Chinese, shown wherever the kind is
    rule_id: str  # the rule a missing or unusable approval breaks, e.g. "MTG-1"
    need: str  # "增加参会人员须经批准" — the refusal's first words
    # (data, unit_id) → the stored `proposed_change` (raise Invalid on field proposed_change).
    normalize: Callable[[Any, int], dict]
    # proposed_change → the level the approver must cover and be authorised for (APR-2).
    level_of: Callable[[dict], str]
    # proposed_change → the text approvers read ("拟增加参会人员：张三、李四").
    describe: Callable[[dict], str]
    # (approver, request) → None, or raise RuleViolation: asked before every approval step.
    check_approvable: Callable[[Any, Any], None] = _no_check
    # proposed_change → the page of the thing the request is about ("" when none).
    url_of: Callable[[dict], str] | None = None


_registry: dict[str, KindSpec] = {}


def register(spec: KindSpec) -> KindSpec:
    """Register a kind (idempotent for the same spec code; app ready() may run twice in tests)."""
    if spec.code in RequestKind.values:
        raise ValueError(f"{spec.code} is a built-in request kind")
    if len(spec.code) > 32:
        raise ValueError(f"{spec.code}: request kind codes are at most 32 characters")
    _registry[spec.code] = spec
    return spec


def spec_of(code: str) -> KindSpec | None:
    """The registered spec of `code`; None for the engine's own kinds and unknown codes."""
    return _registry.get(code)


def is_known(code: str) -> bool:
    return code in RequestKind.values or code in _registry


def label(code: str) -> str:
    """The Chinese name of any kind, built-in or registered ('' for an unknown code)."""
    if code in RequestKind.values:
        return str(RequestKind(code).label)
    spec = _registry.get(code)
    return spec.label if spec else ""


def registered() -> list[KindSpec]:
    return list(_registry.values())
