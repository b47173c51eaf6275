"""Reads for imports: the batches a person may see, and what an import left to regularise."""

from __future__ import annotations

from django.db.models import QuerySet

from baomi.carriers.choices import WITH_HOLDER
from baomi.carriers.models import Carrier
from baomi.carriers.policies import is_clerk_of
from baomi.imports.choices import ImportKind
from baomi.imports.models import ImportBatch
from baomi.org.choices import SystemRole
from baomi.org.models import Person


def batches_visible_to(person: Person) -> QuerySet[ImportBatch]:
    """People batches: the 系统管理员 and 安全保密管理员 of the unit; carrier batches: its
    保密员 (SEC-3: a carrier batch is no business of the system roles). Others see none."""
    batches = ImportBatch.objects.filter(unit_id=person.unit_id).select_related("actor")
    kinds = []
    if person.system_role in (SystemRole.SYSADMIN, SystemRole.SECADMIN):
        kinds.append(ImportKind.PEOPLE)
    if is_clerk_of(person, person.unit_id):
        kinds.append(ImportKind.CARRIERS)
    return batches.filter(kind__in=kinds)


def held_without_approval(unit_id: int) -> QuerySet[Carrier]:
    """Imported carriers a person holds under the ledger's word only — no approval exists:
    the 保密员 takes them back or has a loan approved (CR-3, CR-6)."""
    return (
        Carrier.objects.filter(
            unit_id=unit_id,
            import_batch__isnull=False,
            status__in=WITH_HOLDER,
            out_request__isnull=True,
        )
        .select_related("holder")
        .order_by("handed_out_at", "number", "copy_no")
    )
