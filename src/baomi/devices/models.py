"""The device ledgers (DEV-1, DEV-7). A classified computer or medium is also a carrier: its
保密编号 is the carrier's number and its custody (在用, 归还, 清查, 交接, 销毁) is the carrier's."""

from __future__ import annotations

from django.db import models

from baomi.classification.choices import Level, is_state_secret
from baomi.devices.choices import (
    COMPUTER_KINDS,
    MEDIA_KINDS,
    OFFICE_KINDS,
    CheckResult,
    DeviceKind,
    DeviceStatus,
    DiskHandling,
    Ledger,
    Network,
    RepairState,
)
from baomi.org.models import Department, Person, Unit


class Device(models.Model):
    """One computer, medium or piece of office equipment. Changed only by `devices.actions`."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="devices"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="devices",
    )
    kind = models.CharField("设备类型", max_length=16, choices=DeviceKind.choices)
    brand = models.CharField("品牌", max_length=100, blank=True)
    model = models.CharField("型号", max_length=100, blank=True)
    serial = models.CharField("序列号", max_length=100, blank=True)
    disk_serial = models.CharField("硬盘序列号", max_length=100, blank=True)
    mac = models.CharField("MAC地址", max_length=64, blank=True)
    # "" for a non-classified device; 秘密/机密/绝密 makes it a carrier too.
    level = models.CharField("密级", max_length=16, choices=Level.choices, blank=True)
    carrier = models.OneToOneField(
        "carriers.Carrier",
        verbose_name="载体",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="device",
    )
    # The ledger number of a non-classified device (a classified one uses its carrier's).
    asset_number = models.CharField("设备编号", max_length=64, blank=True)
    responsible = models.ForeignKey(
        Person,
        verbose_name="责任人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="devices",
    )
    location = models.CharField("放置地点", max_length=200, blank=True)
    network = models.CharField("联网情况", max_length=16, choices=Network.choices, blank=True)
    status = models.CharField(
        "使用情况", max_length=16, choices=DeviceStatus.choices, default=DeviceStatus.IN_USE
    )
    commissioned_on = models.DateField("启用日期", null=True, blank=True)
    remarks = models.CharField("备注", max_length=500, blank=True)
    registered_by = models.ForeignKey(
        Person, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField("登记时间")
    import_batch = models.ForeignKey(
        "imports.ImportBatch",
        verbose_name="导入批次",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="devices",
    )

    class Meta:
        verbose_name = "设备"
        verbose_name_plural = "设备"
        ordering = ["kind", "id"]
        indexes = [models.Index(fields=["unit", "kind"]), models.Index(fields=["network"])]
        constraints = [
            # DEV-1: a classified device is a carrier; a non-classified one is not.
            models.CheckConstraint(
                name="device_classified_is_carrier",
                condition=(
                    models.Q(
                        level__in=["confidential", "secret", "top_secret"], carrier__isnull=False
                    )
                    | (
                        ~models.Q(level__in=["confidential", "secret", "top_secret"])
                        & models.Q(carrier__isnull=True)
                    )
                ),
            ),
            # DEV-2: 物理隔离 as a database guarantee.
            models.CheckConstraint(
                name="device_classified_isolated",
                condition=~models.Q(
                    level__in=["confidential", "secret", "top_secret"],
                    network__in=["intranet", "internet"],
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    @property
    def classified(self) -> bool:
        return bool(self.level) and is_state_secret(self.level)

    @property
    def is_computer(self) -> bool:
        return self.kind in COMPUTER_KINDS

    @property
    def is_medium(self) -> bool:
        return self.kind in MEDIA_KINDS

    @property
    def number(self) -> str:
        """保密编号: the carrier number of a classified device, else the unit's asset number."""
        if self.carrier_id:
            return self.carrier.label
        return self.asset_number or f"D{self.pk}"

    @property
    def ledger(self) -> Ledger:
        if self.kind == DeviceKind.CRYPTO:
            return Ledger.CRYPTO
        if self.kind in OFFICE_KINDS:
            return Ledger.OFFICE
        if self.kind in COMPUTER_KINDS:
            return Ledger.CLASSIFIED_COMPUTERS if self.classified else Ledger.COMPUTERS
        return Ledger.CLASSIFIED_MEDIA if self.classified else Ledger.MEDIA

    @property
    def level_display(self) -> str:
        return self.get_level_display() if self.level else "非涉密"

    def audit_text(self) -> str:
        return f"{self.get_kind_display()} {self.number} {self.level_display}"

    def snapshot(self) -> dict:
        return {
            "kind": self.kind,
            "level": self.level,
            "carrier": self.carrier_id,
            "responsible": self.responsible_id,
            "network": self.network,
            "status": self.status,
            "location": self.location,
        }


class DeviceUse(models.Model):
    """DEV-2 一人一机: a use of a classified computer by someone other than its 责任人, with the
    approval that allowed it (who, when, why)."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="uses")
    user = models.ForeignKey(Person, verbose_name="使用人", on_delete=models.PROTECT)
    reason = models.CharField("事由", max_length=500)
    used_at = models.DateTimeField("使用时间")
    approval = models.ForeignKey(
        "approvals.Request", verbose_name="审批单", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "他人使用记录"
        verbose_name_plural = "他人使用记录"
        ordering = ["-used_at"]

    def __str__(self) -> str:
        return f"{self.device} {self.user_id} {self.used_at:%Y-%m-%d}"


class MediaUse(models.Model):
    """DEV-3: a classified medium used on a classified computer (the only allowed pairing)."""

    medium = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="media_uses")
    computer = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="+")
    used_at = models.DateTimeField("使用时间")
    purpose = models.CharField("用途", max_length=500, blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "介质使用记录"
        verbose_name_plural = "介质使用记录"
        ordering = ["-used_at"]

    def __str__(self) -> str:
        return f"{self.medium_id} → {self.computer_id}"


class DeviceCheck(models.Model):
    """DEV-6: a quarterly check of an internet computer — the uploaded `baomi scan` report."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="checks")
    checked_at = models.DateTimeField("检查时间")
    result = models.CharField("检查结果", max_length=16, choices=CheckResult.choices)
    markings = models.PositiveIntegerField("密级标志数", default=0)
    terms = models.PositiveIntegerField("敏感词数", default=0)
    files = models.PositiveIntegerField("检查文件数", default=0)
    report = models.JSONField("检查报告")
    carried_on = models.CharField("带回所用介质", max_length=100, blank=True)
    uploaded_by = models.ForeignKey(
        Person, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间")
    incident = models.ForeignKey(
        "incidents.Incident",
        verbose_name="事件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="device_checks",
    )

    class Meta:
        verbose_name = "季度保密检查"
        verbose_name_plural = "季度保密检查"
        ordering = ["-checked_at"]

    def __str__(self) -> str:
        return f"{self.device} {self.checked_at:%Y-%m-%d}"

    def audit_text(self) -> str:
        return f"设备 {self.device.number} 的保密检查 #{self.pk}"


class Repair(models.Model):
    """DEV-4: a repair at a designated repair point, with a supervisor present."""

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="repairs")
    repair_point = models.CharField("维修点", max_length=200)
    supervisor = models.ForeignKey(
        Person, verbose_name="监修人", on_delete=models.PROTECT, related_name="+"
    )
    disk = models.CharField("硬盘处理", max_length=16, choices=DiskHandling.choices)
    fault = models.CharField("故障情况", max_length=500)
    approval = models.ForeignKey(
        "approvals.Request",
        verbose_name="审批单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        "状态", max_length=16, choices=RepairState.choices, default=RepairState.OPEN
    )
    sent_at = models.DateTimeField("送修时间")
    returned_at = models.DateTimeField("返回时间", null=True, blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "维修记录"
        verbose_name_plural = "维修记录"
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"维修 #{self.pk}"


class Disposal(models.Model):
    """DEV-4: scrapping or change of use, with the technical sanitisation recorded."""

    class Kind(models.TextChoices):
        SCRAP = "scrap", "报废"
        CHANGE_OF_USE = "change_of_use", "改变用途"

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="disposals")
    kind = models.CharField("类型", max_length=16, choices=Kind.choices)
    method = models.CharField("技术处理方法", max_length=200)
    sanitised_by = models.ForeignKey(
        Person, verbose_name="处理人", on_delete=models.PROTECT, related_name="+"
    )
    witness = models.ForeignKey(
        Person, verbose_name="监督人", on_delete=models.PROTECT, related_name="+"
    )
    new_use = models.CharField("新用途", max_length=200, blank=True)
    approval = models.ForeignKey(
        "approvals.Request", verbose_name="审批单", on_delete=models.PROTECT, related_name="+"
    )
    destruction_list = models.ForeignKey(
        "destruction.DestructionList",
        verbose_name="销毁清单",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "报废与改变用途"
        verbose_name_plural = "报废与改变用途"
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"
