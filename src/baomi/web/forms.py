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


class DateInput(forms.DateInput):
    """The one date widget: a native picker asked for the Chinese order (lang="zh-CN" makes
    browsers that follow it show YYYY/MM/DD instead of mm/dd/yyyy), the value as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(
            {"lang": "zh-CN", "placeholder": "YYYY-MM-DD", **(attrs or {})}, format="%Y-%m-%d"
        )
