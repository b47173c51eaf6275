"""The frame every business action runs in: one transaction, refusals audited on their own."""

from __future__ import annotations

import functools

from django.core.exceptions import ValidationError
from django.db import models, transaction

from baomi.lib.errors import Forbidden, Invalid, InvalidState, RuleViolation

AUDITED_REFUSALS = (RuleViolation, InvalidState, Forbidden)


def action(event_type: str):
    """Run the wrapped action atomically; if a rule refuses it, roll back, then audit the refusal.

    The refusal row is written after the rollback, in its own transaction (SEC-4), so a refused
    attempt leaves the business data exactly as it was but is never silent.
    """

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(actor, *args, **kwargs):
            try:
                with transaction.atomic():
                    return fn(actor, *args, **kwargs)
            except ValidationError as error:
                # A model invariant refused the input (full_clean): bad input, shown under its
                # field on a page and as a 422 in the API — never a 500.
                raise Invalid("输入有误，请按提示修改。", _field_messages(error)) from error
            except AUDITED_REFUSALS as error:
                from baomi.audit.trail import record_refusal

                target = next((a for a in args if isinstance(a, models.Model)), None)
                # design.md: audit rows carry the approval request's id where one applies —
                # refusals too (a lend refused under APR-3 names the request it tried to use).
                approval = next((a for a in args if _is_approval_request(a)), None)
                record_refusal(
                    event_type,
                    actor,
                    target,
                    error,
                    request_id=approval.pk if approval is not None else None,
                )
                raise

        wrapper.event_type = event_type
        return wrapper

    return decorate


def _is_approval_request(value) -> bool:
    return isinstance(value, models.Model) and value._meta.label == "approvals.Request"


def _field_messages(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}
