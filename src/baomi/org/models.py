"""Units, departments, people and their roles (ORG-1, PER-1, SEC-1, SEC-3)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models

from baomi.classification.choices import (
    CLEARANCE_MAX_LEVEL,
    Authority,
    Clearance,
    Level,
    authority_max_level,
    clearance_covers,
)
from baomi.org.choices import SystemRole


def default_cooling_off_years() -> dict:
    # PER-5: 脱密期 per clearance, in years (seed 002 第三篇 第十一条); a unit setting.
    return {"core": 3, "important": 2, "general": 1}


def default_allowance_table() -> dict:
    # PER-8: 保密津贴 per clearance, yuan per month; the unit sets its own table.
    return {"core": 300, "important": 200, "general": 100}


def default_loan_limits() -> dict:
    # CR-17: the longest a carrier may stay with a person, per level; 0 = back the same day.
    return {"top_secret": 0, "secret": 30, "confidential": 30, "internal": 30, "public": 30}


class Unit(models.Model):
    """A unit (单位) in the tree; `classification_authority` is its 定密权限 (CL-11)."""

    name = models.CharField("名称", max_length=100, unique=True)
    code = models.CharField("代码", max_length=20, unique=True)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    classification_authority = models.CharField(
        "定密权限", max_length=16, choices=Authority.choices, default=Authority.NONE
    )
    # CR-7 unit setting: the issuer's consent is needed to copy 机密 too (seed 002 第一篇 6).
    issuer_consent_for_secret = models.BooleanField("机密载体复制须经制文机关同意", default=False)
    # CR-8 unit setting: no state-secret carrier leaves the office (seed 002 第一篇 7).
    forbid_state_secret_take_out = models.BooleanField("国家秘密载体不准外带", default=False)
    loan_limits = models.JSONField("借阅/传阅最长天数（按密级）", default=default_loan_limits)
    # APR-3: how long an approval stays usable after it is granted.
    approval_valid_days = models.PositiveSmallIntegerField("批准有效天数", default=7)
    cooling_off_years = models.JSONField(
        "脱密期（年，按涉密等级）", default=default_cooling_off_years
    )
    allowance_table = models.JSONField(
        "保密津贴（元/月，按涉密等级）", default=default_allowance_table
    )

    class Meta:
        verbose_name = "单位"
        verbose_name_plural = "单位"

    def __str__(self) -> str:
        return self.name

    @property
    def authority_level(self) -> Level:
        """CL-11: the highest level this unit may originate (内部 when it has no 定密权限)."""
        return authority_max_level(self.classification_authority)

    def loan_limit_days(self, level: str) -> int:
        return int({**default_loan_limits(), **(self.loan_limits or {})}[level])

    def cooling_off_years_for(self, clearance: str) -> int:
        """PER-5: 0 for 非涉密 (no 脱密期)."""
        return int(
            {**default_cooling_off_years(), **(self.cooling_off_years or {})}.get(clearance, 0)
        )

    def allowance_for(self, clearance: str) -> int:
        """PER-8: the monthly allowance of a clearance (0 for 非涉密)."""
        return int({**default_allowance_table(), **(self.allowance_table or {})}.get(clearance, 0))


class Department(models.Model):
    """处室/科室 of a unit."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="departments"
    )
    name = models.CharField("名称", max_length=100)
    # 处 above 科: departments form a tree inside their unit (the console shows it).
    parent = models.ForeignKey(
        "self",
        verbose_name="上级部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # ORG-2: the department head answers for the department's secrets.
    head = models.ForeignKey(
        "Person",
        verbose_name="部门负责人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="departments_headed",
    )

    class Meta:
        verbose_name = "部门"
        verbose_name_plural = "部门"
        constraints = [models.UniqueConstraint(fields=["unit", "name"], name="department_unique")]
        ordering = ["unit_id", "name"]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A named person (SEC-1: no shared accounts — one login per person at most)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="person",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="people"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    name = models.CharField("姓名", max_length=50)
    # 人员编号: the unit's own staff number, as its personnel ledgers carry it (imports match on it).
    number = models.CharField("人员编号", max_length=32, blank=True)
    post = models.CharField("岗位", max_length=100, blank=True)
    clearance = models.CharField(
        "涉密等级", max_length=16, choices=Clearance.choices, default=Clearance.NONE
    )
    is_registry_clerk = models.BooleanField("保密员", default=False)
    is_classifier = models.BooleanField("定密责任人", default=False)
    is_unit_head = models.BooleanField("单位负责人", default=False)
    system_role = models.CharField(
        "系统角色", max_length=16, choices=SystemRole.choices, default=SystemRole.NONE, blank=True
    )
    # The actor of scheduled jobs and of the demo loader; never has a login.
    is_automation = models.BooleanField("系统自动任务", default=False)
    active = models.BooleanField("在岗", default=True)
    # PER-5: the last day of the 脱密期 after leaving a classified post (None: not in one).
    on_cooling_off_until = models.DateField("脱密期至", null=True, blank=True)

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["unit_id", "department_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "number"],
                condition=~models.Q(number=""),
                name="person_number_unique_in_unit",
            ),
            # SEC-3 三员分立: a system role never holds a business role or a clearance. The
            # actions refuse it first; the database refuses it whatever writes the row.
            models.CheckConstraint(
                condition=models.Q(system_role="")
                | models.Q(
                    is_registry_clerk=False,
                    is_classifier=False,
                    is_unit_head=False,
                    clearance="none",
                ),
                name="person_system_role_excludes_business",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def max_level(self) -> str:
        return CLEARANCE_MAX_LEVEL[Clearance(self.clearance)]

    def covers(self, level: str) -> bool:
        """PER-1, first half: the person's clearance covers the level."""
        return clearance_covers(self.clearance, level)

    @property
    def has_system_role(self) -> bool:
        return bool(self.system_role)


class ApprovalAuthority(models.Model):
    """What an approver may approve: a request kind up to a level (APR-2)."""

    person = models.ForeignKey(
        Person, verbose_name="审批人", on_delete=models.CASCADE, related_name="authorities"
    )
    kind = models.CharField("申请类型", max_length=32)
    max_level = models.CharField("最高密级", max_length=16, choices=Level.choices)

    class Meta:
        verbose_name = "审批权限"
        verbose_name_plural = "审批权限"
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="authority_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.kind} ≤ {self.max_level}"


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored, the token is shown once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # SEC-2: a token expires (the security settings' lifetime, 90 days by default).
    expires_at = models.DateTimeField("到期时间")
    revoked = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"token #{self.pk} ({self.label})"

    @property
    def state(self) -> str:
        from django.utils import timezone

        if self.revoked:
            return "revoked"
        return "expired" if self.expires_at <= timezone.now() else "active"

    @property
    def state_display(self) -> str:
        return {"revoked": "已吊销", "expired": "已过期", "active": "有效"}[self.state]

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()


class CommitteeRole(models.TextChoices):
    LEADER = "leader", "组长"
    DEPUTY = "deputy", "副组长"
    MEMBER = "member", "成员"


class SecrecyCommittee(models.Model):
    """保密工作领导小组 / 保密委员会 of a unit (ORG-1)."""

    unit = models.OneToOneField(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="secrecy_committee"
    )
    name = models.CharField("名称", max_length=100, default="保密工作领导小组")
    office_department = models.ForeignKey(
        Department,
        verbose_name="保密办公室所在部门",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "保密委员会"
        verbose_name_plural = "保密委员会"

    def __str__(self) -> str:
        return f"{self.unit.name}{self.name}"


class CommitteeMember(models.Model):
    """A member of the committee with a role (组长/副组长/成员) and dates (ORG-1)."""

    committee = models.ForeignKey(
        SecrecyCommittee, on_delete=models.CASCADE, related_name="members"
    )
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="committee_seats"
    )
    role = models.CharField("职务", max_length=16, choices=CommitteeRole.choices)
    start_on = models.DateField("任职日期")
    end_on = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        verbose_name = "保密委员会成员"
        verbose_name_plural = "保密委员会成员"
        ordering = ["committee_id", "role", "start_on"]

    def __str__(self) -> str:
        return f"{self.person.name}（{self.get_role_display()}）"


class SecrecyOfficer(models.Model):
    """保密办公室的保密员, 专职 or 兼职, with dates (ORG-1)."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="secrecy_officers"
    )
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="officer_terms"
    )
    full_time = models.BooleanField("专职", default=False)
    start_on = models.DateField("任职日期")
    end_on = models.DateField("离任日期", null=True, blank=True)

    class Meta:
        verbose_name = "保密员"
        verbose_name_plural = "保密员"
        ordering = ["unit_id", "start_on"]

    def __str__(self) -> str:
        return f"{self.person.name}（{'专职' if self.full_time else '兼职'}）"


class ResponsibilityLetter(models.Model):
    """保密责任书 of a department head (or the unit head), the text they signed (ORG-2, ORG-3)."""

    unit = models.ForeignKey(
        Unit, verbose_name="单位", on_delete=models.PROTECT, related_name="responsibility_letters"
    )
    department = models.ForeignKey(
        Department,
        verbose_name="部门",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsibility_letters",
    )
    person = models.ForeignKey(
        Person,
        verbose_name="签订人",
        on_delete=models.PROTECT,
        related_name="responsibility_letters",
    )
    signed_on = models.DateField("签订日期")
    text = models.TextField("责任书正文")
    pdf = models.BinaryField("签订文本（PDF）", blank=True, default=b"")

    class Meta:
        verbose_name = "保密责任书"
        verbose_name_plural = "保密责任书"
        ordering = ["-signed_on", "id"]

    def __str__(self) -> str:
        return f"保密责任书 {self.person.name} {self.signed_on}"

    def audit_text(self) -> str:
        return f"保密责任书 #{self.pk}（{self.person.name}）"
