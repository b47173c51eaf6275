"""Chinese labels for choice codes that reach a template as bare values (dict keys of counts,
tuples from selectors): `{{ code|label:"level" }}`, `{% for name, n in counts|labelled:"status" %}`.

A model field renders through `get_<field>_display`; a code that travelled through a dict or a
tuple has lost its field, and without these filters it was printed as the code itself
("confidential 140", "important 31天")."""

from __future__ import annotations

from django import template

from baomi.approvals.choices import RequestKind
from baomi.carriers.choices import Status
from baomi.classification.choices import Clearance, Level

register = template.Library()

CHOICES = {
    "level": Level,
    "status": Status,
    "clearance": Clearance,
    "request_kind": RequestKind,
}


@register.filter
def label(code, choices: str) -> str:
    """The Chinese label of `code` in the named choices; a code it does not know shows as is."""
    enum = CHOICES[choices]
    return enum(code).label if code in enum.values else code


@register.filter
def labelled(counts: dict, choices: str) -> list[tuple[str, object]]:
    """(label, value) pairs of a dict keyed by codes, in the choices' own order (绝密 first)."""
    enum = CHOICES[choices]
    order = {value: i for i, value in enumerate(enum.values)}
    keys = sorted(counts, key=lambda code: order.get(code, len(order)))
    return [(label(code, choices), counts[code]) for code in keys]
