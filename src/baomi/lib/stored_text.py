"""The last guard before a row is written: text the database would refuse is bad input.

A form field bounds what a page posts (web/forms.py `model_field`), but values also reach the
models from the API, the CLI, imports and fields a view reads by hand. PostgreSQL refuses a text
longer than its column and any NUL character with a database error — a 500 on a page. Checked
here on every save of a Baomi model, they raise a ValidationError, which the `@action` frame turns
into `Invalid` (a form error, a 422) inside the action's transaction, so nothing is half written.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models.signals import pre_save

NUL_MESSAGE = "不能包含空字符（\\x00）。"


def refuse_unstorable_text(sender, instance, **kwargs) -> None:
    if not sender.__module__.startswith("baomi."):
        return
    errors: dict[str, list[str]] = {}
    for field in sender._meta.concrete_fields:
        value = getattr(instance, field.attname, None)
        if not isinstance(value, str):
            continue
        if "\x00" in value:
            errors.setdefault(field.name, []).append(NUL_MESSAGE)
        max_length = getattr(field, "max_length", None)
        if max_length and len(value) > max_length:
            errors.setdefault(field.name, []).append(
                f"{field.verbose_name}最多 {max_length} 个字符（现有 {len(value)} 个）。"
            )
    if errors:
        raise ValidationError(errors)


def connect() -> None:
    pre_save.connect(refuse_unstorable_text, dispatch_uid="baomi-stored-text")
