"""JSON API for 涉密人员 (`people` sub-resources) and ORG-4 statistics.

A person in the path is 404 unless the caller may see their record (themselves, the 保密办, the
unit head, their department head); ids in a body are 422 on that field (api.lookups).

One module per procedure, each with its own router; `router` below mounts them in this order
(the URL patterns and the schema list the operations in it).
"""

from ninja import Router

from baomi.personnel.api import clearance, departure, ledger, moves, records, travel

router = Router()
router.add_router("", ledger.router)
router.add_router("", clearance.router)
router.add_router("", records.router)
router.add_router("", departure.router)
router.add_router("", moves.router)
router.add_router("", travel.router)
