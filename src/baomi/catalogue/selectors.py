"""Reads of the catalogue: the unit's business people see its current entries and history (it
is what they classify by); the three system roles see nothing (SEC-3)."""

from __future__ import annotations

from django.db.models import QuerySet

from baomi.catalogue.models import CatalogueEntry
from baomi.org.models import Person


def entries_visible_to(person: Person | None) -> QuerySet[CatalogueEntry]:
    if person is None or person.has_system_role or not person.active:
        return CatalogueEntry.objects.none()
    return CatalogueEntry.objects.filter(unit_id=person.unit_id)


def current_entries(unit_id: int) -> QuerySet[CatalogueEntry]:
    """What registration and import offer as 定密依据."""
    return CatalogueEntry.objects.filter(unit_id=unit_id, current=True).order_by("code")


def basis_code(text: str) -> str:
    """The entry code a ledger's 定密依据 cell names: "1.2", "目录1.2", "保密事项目录第1.2条"."""
    text = (text or "").strip()
    for prefix in ("保密事项目录", "目录", "第"):
        if text.startswith(prefix):
            text = text[len(prefix) :].strip()
    return text.removesuffix("条").strip()


def entry_for_basis(unit_id: int, text: str) -> CatalogueEntry | None:
    """The current entry a 定密依据 text names by its code, or None."""
    code = basis_code(text)
    if not code or len(code) > 20:
        return None
    return current_entries(unit_id).filter(code=code).first()
