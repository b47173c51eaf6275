"""The ledger of classified carriers and their custody history (CR-1, CR-3, CL-2)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from baomi.carriers.choices import (
    AT_PLACE,
    LIVE,
    WITH_HOLDER,
    CarrierKind,
    EventKind,
    PlaceKind,
    Source,
    Status,
)
from baomi.classification.choices import STATE_SECRET_LEVELS, Category, Level, PeriodKind
from baomi.classification.periods import Period
from baomi.lib.markings import render_marking
from baomi.org.models import Department, Person, Unit


class Place(models.Model):
    """A registry location: 机要室, a cabinet, a safe (CR-15)."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="places"
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=PlaceKind.choices)
    # A retired place (撤销) keeps its history but takes no carrier any more.
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = "存放位置"
        verbose_name_plural = "存放位置"
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="place_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_safe(self) -> bool:
        """CR-15: 绝密 and the safe-only kinds are kept in a 保险柜."""
        return self.kind == PlaceKind.SAFE


class NumberSequence(models.Model):
    """The unit's 统一编号 counter for one year; locked while a number is taken."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="sequence_unique")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class Carrier(models.Model):
    """One physical copy of a classified item. Changed only by `carriers.actions`."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="carriers"
    )
    number = models.CharField("统一编号", max_length=32)
    copy_no = models.PositiveIntegerField("份号")
    kind = models.CharField("载体类型", max_length=16, choices=CarrierKind.choices)
    title = models.CharField("标题", max_length=300)
    issuer = models.CharField("制文机关", max_length=100, blank=True)
    doc_number = models.CharField("文号", max_length=100, blank=True)
    doc_date = models.DateField("成文日期")
    pages = models.PositiveIntegerField("页数/数量", default=1)
    remarks = models.CharField("备注", max_length=500, blank=True)
    # Classification (CL-2).
    level = models.CharField("密级", max_length=16, choices=Level.choices, db_index=True)
    category = models.CharField("类别", max_length=16, choices=Category.choices)
    period_kind = models.CharField(
        "期限形式", max_length=16, choices=PeriodKind.choices, blank=True
    )
    period_years = models.PositiveSmallIntegerField("期限（年）", null=True, blank=True)
    period_months = models.PositiveSmallIntegerField("期限（月）", null=True, blank=True)
    period_until = models.DateField("期限（至）", null=True, blank=True)
    period_condition = models.CharField("解密条件", max_length=50, blank=True)
    basis = models.CharField("定密依据", max_length=200, blank=True)
    classifier_name = models.CharField("定密责任人", max_length=100, blank=True)
    classifier = models.ForeignKey(
        Person,
        verbose_name="定密责任人（本单位）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    marking_reviewer = models.ForeignKey(
        Person,
        verbose_name="标定审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    scope_people = models.ManyToManyField(
        Person, verbose_name="知悉范围（人员）", blank=True, related_name="scoped_carriers"
    )
    scope_departments = models.ManyToManyField(
        Department, verbose_name="知悉范围（部门）", blank=True, related_name="scoped_carriers"
    )
    no_copy = models.BooleanField("不准复印", default=False)
    # Provenance.
    source = models.CharField("来源", max_length=16, choices=Source.choices)
    original = models.ForeignKey(
        "self",
        verbose_name="原件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="copies",
    )
    copy_stamp = models.CharField("复制机关戳记", max_length=100, blank=True)
    registered_by = models.ForeignKey(
        Person, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField("登记时间")
    # Custody (CR-3): exactly one of holder/place while live, neither once out of custody.
    status = models.CharField("状态", max_length=24, choices=Status.choices, db_index=True)
    holder = models.ForeignKey(
        Person,
        verbose_name="持有人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="holdings",
    )
    place = models.ForeignKey(
        Place,
        verbose_name="存放位置",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carriers",
    )
    home_place = models.ForeignKey(
        Place, verbose_name="固定存放位置", on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField("应还日期", null=True, blank=True)
    handed_out_at = models.DateTimeField("交付时间", null=True, blank=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    out_request = models.ForeignKey(
        "approvals.Request",
        verbose_name="依据审批",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Registered by importing an existing ledger (台帐导入); `source` still says 收文/制发.
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name="导入批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carriers",
    )

    class Meta:
        verbose_name = "涉密载体"
        verbose_name_plural = "涉密载体"
        ordering = ["-registered_at", "number", "copy_no"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "number", "copy_no"], name="carrier_unique_number"
            ),
            # CR-3 as a database guarantee, whatever writes the row.
            models.CheckConstraint(
                name="carrier_one_custodian",
                condition=(
                    Q(status__in=AT_PLACE, place__isnull=False, holder__isnull=True)
                    | Q(status__in=WITH_HOLDER, holder__isnull=False, place__isnull=True)
                    | (
                        ~Q(status__in=[*AT_PLACE, *WITH_HOLDER])
                        & Q(holder__isnull=True, place__isnull=True)
                    )
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "status"]),
            models.Index(fields=["holder", "status"]),
            models.Index(fields=["number"]),
            # The ledger's default order, within a unit (a clerk's view) and overall (the scoped
            # view of staff), and with the filters a clerk uses most: a page is an index walk
            # that stops after 25 rows instead of sorting the unit's million.
            models.Index(
                fields=["unit", "-registered_at", "number", "copy_no"],
                name="carrier_unit_ledger_order",
            ),
            models.Index(
                fields=["-registered_at", "number", "copy_no"], name="carrier_ledger_order"
            ),
            models.Index(
                fields=["unit", "status", "-registered_at"], name="carrier_unit_status_order"
            ),
            models.Index(
                fields=["unit", "level", "-registered_at"], name="carrier_unit_level_order"
            ),
            models.Index(fields=["unit", "title"], name="carrier_unit_title"),
            # The alerts of a clerk (a unit's 100k live carriers): CL-9 periods ending (the
            # lengths in use, then a date range per length) and the yearly review (registered
            # over a year ago) read these without touching the table; loans due are the first
            # rows of an index walk in the alert's own order (and the dashboard's overdue).
            models.Index(
                fields=["unit", "period_kind", "period_years", "period_months", "doc_date"],
                name="carrier_classified_period",
                condition=Q(status__in=LIVE, level__in=STATE_SECRET_LEVELS),
            ),
            models.Index(
                fields=["unit", "registered_at"],
                name="carrier_classified_registered",
                condition=Q(status__in=LIVE, level__in=STATE_SECRET_LEVELS),
            ),
            models.Index(
                fields=["unit", "due_date", "number", "copy_no"],
                include=["level"],  # the dashboard's overdue count by level, index-only
                name="carrier_out_due",
                condition=Q(status__in=WITH_HOLDER),
            ),
            # The dashboard: its counts by level and status, and the unit's carrier ids that
            # its trend of destroyed and recalled carriers joins, read from the index alone.
            models.Index(
                fields=["unit", "level", "status"],
                include=["id"],
                name="carrier_unit_level_status",
            ),
            models.Index(
                fields=["unit", "handed_out_at", "number", "copy_no"],
                name="carrier_out_unsigned",
                condition=Q(
                    acknowledged_at__isnull=True,
                    status__in=(Status.CIRCULATING, Status.ON_LOAN),
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """What the label and the barcode carry: 2026-0001234-03."""
        return f"{self.number}-{self.copy_no:02d}"

    @property
    def period(self) -> Period | None:
        if not self.period_kind:
            return None
        return Period(
            kind=PeriodKind(self.period_kind),
            years=self.period_years,
            months=self.period_months,
            until=self.period_until,
            condition=self.period_condition or None,
        )

    @property
    def protection_level(self) -> str:
        """The level the carrier is protected at: its own, or — while its classification is
        disputed or unclear — the highest level claimed (CL-12, 条例26; CL-14)."""
        from baomi.classification.choices import LEVEL_RANK, Level
        from baomi.reclassification.models import UnclearItem, UnclearState

        if getattr(self, "_pending_claim", None) is False:
            return self.level  # custody.lock saw no pending claim, with the row lock held
        if self.pk is None:
            return self.level  # not saved yet (registration, an import): nothing is claimed
        claimed = UnclearItem.objects.filter(
            carrier_id=self.pk, state=UnclearState.PENDING
        ).values_list("proposed_level", flat=True)
        return max([self.level, *claimed], key=lambda level: LEVEL_RANK[Level(level)])

    def set_period(self, period: Period | None) -> None:
        """Store a period in its columns; None clears them (e.g. on declassification)."""
        self.period_kind = period.kind if period else ""
        self.period_years = period.years if period else None
        self.period_months = period.months if period else None
        self.period_until = period.until if period else None
        self.period_condition = (period.condition or "") if period else ""

    @property
    def marking(self) -> str:
        return render_marking(self.level, self.category, self.period)

    def audit_text(self) -> str:
        """The audit trail names a carrier by number and level, never by title (SEC-4)."""
        return f"{self.label} {self.get_level_display()}"

    def custody_snapshot(self) -> dict:
        """The custody facts audited before/after a change — nothing classified."""
        return {
            "status": self.status,
            "holder": self.holder_id,
            "holder_name": self.holder.name if self.holder_id else None,
            "place": self.place_id,
            "due_date": self.due_date.isoformat() if self.due_date else None,
        }


class CustodyEvent(models.Model):
    """One entry of a carrier's custody history (append-only)."""

    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事件", max_length=24, choices=EventKind.choices)
    # When it happened. For an imported event that is the ledger's date; `recorded_at` is when
    # the system learnt of it. Lists, alerts and reports use `at`.
    at = models.DateTimeField("时间")
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    actor = models.ForeignKey(
        Person, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    status_before = models.CharField("原状态", max_length=24, choices=Status.choices, blank=True)
    status_after = models.CharField("新状态", max_length=24, choices=Status.choices)
    holder_before = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="原持有人",
    )
    holder_after = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="新持有人",
    )
    place_before = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="原位置",
    )
    place_after = models.ForeignKey(
        Place,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="新位置",
    )
    request = models.ForeignKey(
        "approvals.Request",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="custody_events",
    )
    due_date = models.DateField("应还日期", null=True, blank=True)
    note = models.CharField("说明", max_length=500, blank=True)
    correlation_id = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = "流转记录"
        verbose_name_plural = "流转记录"
        ordering = ["at", "id"]
        # The carrier page shows the latest events first, a page at a time.
        indexes = [
            models.Index(fields=["carrier", "-at", "-id"], name="event_carrier_latest"),
            # The dashboard's trend: destroyed and recalled in the last twelve months, by kind
            # and month, without reading the table's other events.
            models.Index(fields=["kind", "at", "carrier"], name="event_kind_at"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class CirculationSlip(models.Model):
    """传阅单 (CR-4, CR-5): one carrier, an ordered list of readers, each checked up front; the
    registry sends it to each reader in turn and takes it back before the next."""

    class State(models.TextChoices):
        OPEN = "open", "传阅中"
        DONE = "done", "已阅毕"
        CANCELLED = "cancelled", "已终止"

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="circulation_slips"
    )
    carrier = models.ForeignKey(
        Carrier, verbose_name="载体", on_delete=models.PROTECT, related_name="slips"
    )
    state = models.CharField(
        "状态", max_length=16, choices=State.choices, default=State.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        Person, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间")
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "传阅单"
        verbose_name_plural = "传阅单"
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open slip per carrier: the readers' order is the slip's, not two slips'.
            models.UniqueConstraint(
                fields=["carrier"], condition=Q(state="open"), name="slip_one_open_per_carrier"
            )
        ]

    def __str__(self) -> str:
        return f"传阅单 #{self.pk}"

    def audit_text(self) -> str:
        return f"传阅单 #{self.pk}（{self.carrier.label}）"


class SlipReader(models.Model):
    """One reader of a slip, in order, with when it was sent, acknowledged and returned."""

    slip = models.ForeignKey(CirculationSlip, on_delete=models.CASCADE, related_name="readers")
    order = models.PositiveSmallIntegerField("顺序")
    reader = models.ForeignKey(
        Person, verbose_name="阅读人", on_delete=models.PROTECT, related_name="slip_readings"
    )
    sent_at = models.DateTimeField("送阅时间", null=True, blank=True)
    acknowledged_at = models.DateTimeField("签收时间", null=True, blank=True)
    returned_at = models.DateTimeField("退回时间", null=True, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["slip", "order"], name="slip_reader_order"),
            models.UniqueConstraint(fields=["slip", "reader"], name="slip_reader_once"),
        ]

    def __str__(self) -> str:
        return f"{self.slip} 第{self.order}位 {self.reader_id}"
