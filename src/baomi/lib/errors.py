"""The refusals actions raise; adapters translate them (403/409/422 JSON, form errors, CLI)."""

from __future__ import annotations


class BaomiError(Exception):
    """Base of every refusal an action may raise. `message` is Chinese and meant for people."""

    code = "error"

    def __init__(self, message: str, detail: dict | None = None):
        super().__init__(message)
        self.message = message
        self.detail = detail or {}


class RuleViolation(BaomiError):
    """A rule of the catalog (requirements.md) refuses the action: `rule_id` is e.g. "CR-7"."""

    def __init__(self, rule_id: str, message: str, detail: dict | None = None):
        super().__init__(message, detail)
        self.rule_id = rule_id
        self.code = rule_id

    def __str__(self) -> str:
        return f"[{self.rule_id}] {self.message}"


class InvalidState(BaomiError):
    """The object is not in a state that allows the action (e.g. lost the race for a loan)."""

    code = "invalid_state"


class Forbidden(BaomiError):
    """The actor lacks the role the action needs (not a rule of the catalog)."""

    code = "forbidden"


class Invalid(BaomiError):
    """Malformed input: `detail` maps field names to lists of Chinese messages."""

    code = "invalid"


class NotFound(BaomiError):
    """Unknown, or not visible to the actor: the two are indistinguishable on purpose."""

    code = "not_found"
