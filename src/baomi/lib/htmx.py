"""The one place that decides full page vs HTMX partial (style.md rule 9, NetBox utilities/htmx.py).

Status codes: a full page answers a refusal with its 4xx status (403 rule, 409 state, 422 input);
an HTMX partial answers 200, because htmx 2 does not swap 4xx responses by default and the red
alert *is* the answer the user must see.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_vary_headers


def is_htmx(request) -> bool:
    """True for requests made by htmx (hx-get/hx-post, and boosted links)."""
    details = getattr(request, "htmx", None)
    if details is not None:
        return bool(details)
    return request.headers.get("HX-Request") == "true"


def htmx_target(request) -> str | None:
    """The id of the element htmx will swap (HX-Target), or None."""
    return request.headers.get("HX-Target") if is_htmx(request) else None


def render_page(
    request,
    template: str,
    context: dict,
    *,
    partial: str | None = None,
    target: str | None = None,
    status: int = 200,
):
    """Render `partial` for an htmx request (aimed at `target`, when given), else `template`.

    Pages of Baomi show classified data: nothing is cached, and the answer varies with
    HX-Request so a partial never stands in for a page in any cache.
    """
    wants_partial = (
        partial is not None
        and is_htmx(request)
        and (target is None or htmx_target(request) == target)
    )
    if wants_partial:
        response = render(request, partial, context, status=200 if status < 500 else status)
    else:
        response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    add_never_cache_headers(response)
    return response
