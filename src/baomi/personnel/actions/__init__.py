"""Writers for 涉密人员 (PER-1…PER-7, CR-13): levels through their approval path, vetting,
commitments, training, departure and the 脱密期, moves during it, travel abroad.

Every function takes the acting person first, runs in one transaction (`@action`) and writes its
audit row; a refusal raises RuleViolation with the rule id and is audited on its own.

One module per procedure (clearance, records, departure, moves, travel); callers keep importing
`baomi.personnel.actions` and use the names below.
"""

from baomi.personnel.actions.clearance import (
    approve_clearance,
    check_clearance,
    propose_clearance,
    reject_clearance,
)
from baomi.personnel.actions.departure import (
    complete_departure,
    extend_cooling_off,
    record_devices_returned,
    record_reminder_talk,
    start_departure,
)
from baomi.personnel.actions.historical import confirm_historical_clearances
from baomi.personnel.actions.moves import complete_move, cooling_off_departure, request_move
from baomi.personnel.actions.records import record_training, record_vetting, sign_commitment
from baomi.personnel.actions.travel import (
    record_briefing,
    record_exit,
    report_return,
    request_travel,
)

__all__ = [
    "approve_clearance",
    "check_clearance",
    "complete_departure",
    "complete_move",
    "confirm_historical_clearances",
    "cooling_off_departure",
    "extend_cooling_off",
    "propose_clearance",
    "record_briefing",
    "record_devices_returned",
    "record_exit",
    "record_reminder_talk",
    "record_training",
    "record_vetting",
    "reject_clearance",
    "report_return",
    "request_move",
    "request_travel",
    "sign_commitment",
    "start_departure",
]
