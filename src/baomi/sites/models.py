"""要害部门部位 (SITE-1…4): key places with their facilities and staff, the visitor register,
keys of safes and rooms, and the daily and holiday closing checks."""

from __future__ import annotations

from django.db import models

from baomi.classification.choices import Level
from baomi.org.models import Department, Person, Unit
from baomi.sites.choices import CHECK_ITEMS, CheckKind, IdKind, KeyEventKind, KeyKind, SiteKind


class KeySite(models.Model):
    """One 要害部门部位 (SITE-1): who answers for it, who works there, what protects it, and which
    registry places (safes, cabinets) of the carrier ledger are inside it."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="key_sites"
    )
    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类别", max_length=16, choices=SiteKind.choices)
    department = models.ForeignKey(
        Department,
        verbose_name="所属部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="key_sites",
    )
    location = models.CharField("位置", max_length=200, blank=True)
    level = models.CharField("涉密程度", max_length=16, choices=Level.choices)
    responsible = models.ForeignKey(
        Person,
        verbose_name="责任人",
        on_delete=models.PROTECT,
        related_name="key_sites_responsible",
    )
    # SITE-2: only these enter freely; everyone else is a registered, escorted visitor.
    staff = models.ManyToManyField(
        Person, verbose_name="工作人员", blank=True, related_name="key_sites_staffed"
    )
    places = models.ManyToManyField(
        "carriers.Place",
        verbose_name="存放位置（保险柜、文件柜）",
        blank=True,
        related_name="key_sites",
    )
    iron_door = models.BooleanField("铁门", default=False)
    iron_window = models.BooleanField("铁窗（防盗窗）", default=False)
    safe = models.BooleanField("保险柜", default=False)
    alarm = models.BooleanField("报警装置", default=False)
    cctv = models.BooleanField("视频监控", default=False)
    fire_protection = models.BooleanField("消防设施", default=False)
    facilities_note = models.CharField("设施说明", max_length=500, blank=True)
    active = models.BooleanField("在用", default=True)
    created_at = models.DateTimeField("登记时间")

    class Meta:
        verbose_name = "要害部门部位"
        verbose_name_plural = "要害部门部位"
        ordering = ["unit_id", "name"]
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="key_site_unique")]

    def __str__(self) -> str:
        return self.name

    def audit_text(self) -> str:
        return f"要害部位 #{self.pk} {self.name}"[:200]

    @property
    def facilities(self) -> list[str]:
        names = (
            ("iron_door", "铁门"),
            ("iron_window", "铁窗"),
            ("safe", "保险柜"),
            ("alarm", "报警"),
            ("cctv", "监控"),
            ("fire_protection", "消防"),
        )
        return [label for field, label in names if getattr(self, field)]


class Visit(models.Model):
    """来访登记 (SITE-2): identity checked, host, escort, purpose, time in and out."""

    site = models.ForeignKey(
        KeySite, verbose_name="要害部位", on_delete=models.PROTECT, related_name="visits"
    )
    visitor_name = models.CharField("来访人", max_length=50)
    organisation = models.CharField("来访单位", max_length=100)
    id_kind = models.CharField("证件类型", max_length=16, choices=IdKind.choices)
    id_number = models.CharField("证件号码", max_length=40)
    id_checked = models.BooleanField("已核验证件", default=False)
    purpose = models.CharField("事由", max_length=200)
    host = models.ForeignKey(
        Person, verbose_name="接待人", on_delete=models.PROTECT, related_name="visits_hosted"
    )
    escort = models.ForeignKey(
        Person, verbose_name="陪同人", on_delete=models.PROTECT, related_name="visits_escorted"
    )
    entered_at = models.DateTimeField("进入时间")
    left_at = models.DateTimeField("离开时间", null=True, blank=True)
    registered_by = models.ForeignKey(
        Person, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "来访登记"
        verbose_name_plural = "来访登记"
        ordering = ["-entered_at", "-id"]
        indexes = [models.Index(fields=["site", "entered_at"])]

    def __str__(self) -> str:
        return f"来访 #{self.pk}"

    def audit_text(self) -> str:
        # A visitor's name and document number are personal data: not in the audit trail.
        return f"来访 #{self.pk}（{self.site.name}）"[:200]

    @property
    def id_number_masked(self) -> str:
        """证件号码 shown with the middle hidden (个人信息)."""
        n = self.id_number
        return n if len(n) <= 6 else f"{n[:3]}{'*' * (len(n) - 7)}{n[-4:]}"


class SiteKey(models.Model):
    """A key of a key room, safe or cabinet (SITE-4): who holds it now."""

    site = models.ForeignKey(
        KeySite, verbose_name="要害部位", on_delete=models.PROTECT, related_name="keys"
    )
    name = models.CharField("钥匙名称", max_length=100)
    kind = models.CharField("类别", max_length=16, choices=KeyKind.choices)
    place = models.ForeignKey(
        "carriers.Place",
        verbose_name="对应保险柜/文件柜",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="keys",
    )
    holder = models.ForeignKey(
        Person,
        verbose_name="保管人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="keys_held",
    )
    copies = models.PositiveSmallIntegerField("把数", default=1)
    lost = models.BooleanField("已丢失", default=False)
    retired = models.BooleanField("已停用", default=False)

    class Meta:
        verbose_name = "钥匙"
        verbose_name_plural = "钥匙"
        ordering = ["site_id", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="site_key_unique")]

    def __str__(self) -> str:
        return self.name

    def audit_text(self) -> str:
        return f"钥匙 #{self.pk} {self.name}"[:200]


class KeyEvent(models.Model):
    """One line of a key's history (append-only): issued, handed over, lost, copied, retired."""

    key = models.ForeignKey(SiteKey, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField("事件", max_length=16, choices=KeyEventKind.choices)
    at = models.DateTimeField("时间")
    actor = models.ForeignKey(
        Person, verbose_name="经办人", on_delete=models.PROTECT, related_name="+"
    )
    holder_before = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    holder_after = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField("说明", max_length=500, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d %H:%M}"


class ClosingCheck(models.Model):
    """下班（节假日前）安全检查 by the last person out (SITE-3)."""

    site = models.ForeignKey(
        KeySite, verbose_name="要害部位", on_delete=models.PROTECT, related_name="closing_checks"
    )
    day = models.DateField("日期")
    kind = models.CharField(
        "类别", max_length=16, choices=CheckKind.choices, default=CheckKind.DAILY
    )
    holiday = models.CharField("节假日", max_length=50, blank=True)
    checked_by = models.ForeignKey(
        Person, verbose_name="检查人", on_delete=models.PROTECT, related_name="closing_checks"
    )
    checked_at = models.DateTimeField("检查时间")
    power_off = models.BooleanField("电源已关闭", default=False)
    alarm_on = models.BooleanField("报警装置已设防", default=False)
    windows_closed = models.BooleanField("门窗已关好", default=False)
    doors_locked = models.BooleanField("铁门已锁", default=False)
    safes_locked = models.BooleanField("保险柜已锁", default=False)
    note = models.CharField("问题说明", max_length=500, blank=True)

    class Meta:
        verbose_name = "下班安全检查"
        verbose_name_plural = "下班安全检查"
        ordering = ["-day", "-checked_at"]
        constraints = [
            models.UniqueConstraint(fields=["site", "day", "kind"], name="closing_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.site.name} {self.day} {self.get_kind_display()}"

    def audit_text(self) -> str:
        return f"下班检查 #{self.pk}（{self.site.name} {self.day}）"[:200]

    @property
    def all_ok(self) -> bool:
        return all(getattr(self, field) for field, _ in CHECK_ITEMS)

    @property
    def problems(self) -> list[str]:
        return [label for field, label in CHECK_ITEMS if not getattr(self, field)]
