"""下级单位情况: for a superior unit, the headline figures of each subordinate unit (ORG-4:
their statistics, counts only, never a title), each computed exactly as the unit's own figure
of the same name, with the subordinate as the unit."""

from __future__ import annotations

from baomi.org.models import Unit
from baomi.personnel.selectors import descendants
from baomi.reports.yearly.base import Figure, Year
from baomi.reports.yearly.carriers import destroyed, held_at_year_end, registered, reported_lost
from baomi.reports.yearly.oversight import findings, incidents, trainings
from baomi.reports.yearly.people import cleared_at_year_end

SECTION = "subordinates"
# (figure function, key of the figure it yields that is shown, label in the table)
HEADLINES = (
    (held_at_year_end, "held_at_end.total", "年末在管载体"),
    (registered, "registered.total", "本年登记载体"),
    (destroyed, "destroyed.total", "本年销毁载体"),
    (reported_lost, "reported_lost.total", "本年报失载体"),
    (cleared_at_year_end, "cleared_at_end.total", "年末涉密人员"),
    (trainings, "trainings.total", "组织保密培训"),
    (findings, "findings", "检查发现问题"),
    (findings, "rectification_rate", "整改率"),
    (incidents, "incidents.total", "发生失泄密事件"),
)


def subordinate_figures(unit: Unit, year: int) -> list[Figure]:
    out: list[Figure] = []
    for sub in descendants(unit):
        y = Year(sub, year)
        computed: dict[object, dict[str, Figure]] = {}
        for function, key, label in HEADLINES:
            if function not in computed:
                computed[function] = {f.key: f for f in function(y)}
            figure = computed[function][key]
            out.append(
                Figure(
                    key=f"sub_{key.replace('.', '_')}.{sub.pk}",
                    section=SECTION,
                    label=label,
                    value=figure.value,
                    copies=figure.copies,
                    measure=figure.measure,
                    level=f"unit_{sub.pk}",
                    level_display=sub.name,
                    query=f"下级单位 {sub.name}：{figure.query}",
                )
            )
    return out
