"""Who may do what at a key place (SITE-1…4) — used by actions to refuse and pages to hide."""

from __future__ import annotations

from baomi.carriers.policies import is_clerk_of
from baomi.lib.errors import Forbidden
from baomi.org.models import Person
from baomi.sites.models import KeySite


def is_site_staff(person: Person | None, site: KeySite) -> bool:
    """SITE-2: the place's own people — its responsible person and its staff — enter freely."""
    if person is None or person.has_system_role or not person.active:
        return False
    return person.pk == site.responsible_id or site.staff.filter(pk=person.pk).exists()


def may_manage_ledger(person: Person, unit_id: int) -> bool:
    """The 要害部位 ledger is kept by the unit's 保密员."""
    return is_clerk_of(person, unit_id)


def may_work_at(person: Person, site: KeySite) -> bool:
    """Visitors, keys and the closing check: the site's own people or the unit's 保密员."""
    return is_site_staff(person, site) or is_clerk_of(person, site.unit_id)


def require_ledger_keeper(actor: Person, unit_id: int, doing: str) -> None:
    if not may_manage_ledger(actor, unit_id):
        raise Forbidden(f"只有本单位保密员可以{doing}。")


def require_site_worker(actor: Person, site: KeySite, doing: str) -> None:
    if not may_work_at(actor, site):
        raise Forbidden(f"只有{site.name}的责任人、工作人员或本单位保密员可以{doing}。")
