"""What every page form shares: Bootstrap classes, and turning an action's refusal into
something a person can read (a red alert with the rule id, or errors under the fields)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms

from baomi.lib.errors import BaomiError, Forbidden, Invalid, InvalidState, NotFound, RuleViolation

# What a refusal without a rule id is called on a page.
CODE_LABELS = {
    "forbidden": "无权操作",
    "invalid_state": "状态不允许",
    "invalid": "输入有误",
    "not_found": "对象不存在",
}


@dataclass
class Refusal:
    """A refusal as a page shows it: `code` is the rule id (CR-4) or an error code."""

    code: str
    message: str
    status: int
    is_rule: bool

    @property
    def label(self) -> str:
        return f"规则 {self.code}" if self.is_rule else CODE_LABELS.get(self.code, self.code)


def refusal_of(error: BaomiError) -> Refusal:
    if isinstance(error, RuleViolation):
        return Refusal(error.rule_id, error.message, 403, True)
    if isinstance(error, InvalidState):
        return Refusal(error.code, error.message, 409, False)
    if isinstance(error, Forbidden):
        return Refusal(error.code, error.message, 403, False)
    if isinstance(error, NotFound):
        return Refusal(error.code, error.message, 404, False)
    return Refusal(error.code, error.message, 422, False)


def apply_error(form: forms.Form, error: BaomiError) -> Refusal:
    """Put an Invalid's field messages under the matching fields (the rest above the form)."""
    if isinstance(error, Invalid) and error.detail:
        for name, messages in error.detail.items():
            for message in messages if isinstance(messages, list | tuple) else [messages]:
                form.add_error(name if name in form.fields else None, str(message))
    return refusal_of(error)


class BootstrapMixin:
    """Adds Bootstrap 5 classes to every widget, and is-invalid to fields with errors."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField) and field.empty_label == "---------":
                field.empty_label = "请选择" if field.required else "（不选）"
            if isinstance(field, forms.ModelChoiceField):
                _bound_posted_ids(field)
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select | forms.SelectMultiple) and not isinstance(
                widget, forms.CheckboxSelectMultiple
            ):
                css = "form-select"
            elif isinstance(widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
                continue
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def _bound_posted_ids(field: forms.ModelChoiceField) -> None:
    """A posted number beyond any id makes Django's lookup overflow (a 500 on SQLite): refuse it
    as a choice that does not exist before the database is asked."""
    clean = field.clean

    def bounded_clean(value):
        for item in value if isinstance(value, list | tuple) else [value]:
            try:
                number = int(str(item).strip())
            except (TypeError, ValueError):
                continue
            if abs(number) > MAX_ID:
                raise forms.ValidationError("请选择有效的对象", code="invalid_choice")
        return clean(value)

    field.clean = bounded_clean


class DateInput(forms.DateInput):
    """The one date widget: a native picker asked for the Chinese order (lang="zh-CN" makes
    browsers that follow it show YYYY/MM/DD instead of mm/dd/yyyy), the value as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(
            {"lang": "zh-CN", "placeholder": "YYYY-MM-DD", **(attrs or {})}, format="%Y-%m-%d"
        )


# --- posted values: parsed by form fields, never handed to the database raw -----------------------

# The largest id a database we run on holds: a bigger number is a form error, not an overflow.
MAX_ID = 2**63 - 1
INVALID_INPUT = "输入有误，请按提示修改。"


def model_field(model, name: str, **overrides) -> forms.Field:
    """The form field a model field asks for: its max_length, choices and validators, so a value
    the model (or PostgreSQL) would refuse is a form error before any action runs."""
    return model._meta.get_field(name).formfield(**overrides)


class IdField(forms.IntegerField):
    """An object id from a page (a hidden input or a select): a positive integer that fits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        kwargs.setdefault("error_messages", {"invalid": "请选择有效的对象"})
        super().__init__(**kwargs)


class IdsField(forms.TypedMultipleChoiceField):
    """Several object ids (checkboxes, a multi-select): each a positive integer that fits."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(coerce=int, **kwargs)

    def valid_value(self, value) -> bool:
        # Any id may be posted; which of them the viewer may use is the selector's business.
        return str(value).isdigit() and 1 <= int(value) <= MAX_ID


class PostedForm(BootstrapMixin, forms.Form):
    """A form for values a template posts by hand: it parses (it need not render). `parse`
    returns the cleaned values or raises `Invalid` with the field errors, which the views
    already show like any refusal of an action."""

    @classmethod
    def parse(cls, data, **kwargs) -> dict:
        form = cls(data, **kwargs)
        if not form.is_valid():
            detail = {name: [str(m) for m in errors] for name, errors in form.errors.items()}
            raise Invalid(INVALID_INPUT, detail)
        return form.cleaned_data


def posted_id(value) -> int | None:
    """An id posted by a page, or None when it is no id at all (not a number, or beyond any id a
    database holds): a selector then finds nothing and the page answers "not found"."""
    try:
        return IdField(required=False).clean(value)
    except forms.ValidationError:
        return None


def posted_ids(values) -> list[int]:
    """The ids among several posted values (checkboxes); the rest are no ids."""
    return [i for i in (posted_id(v) for v in values) if i is not None]
