from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.integrations import crypto
from keshi.org.models import Group, Org, Person
from keshi.org.scoping import scoped


class Platform(models.TextChoices):
    DINGTALK = "dingtalk", _("钉钉")
    WECOM = "wecom", _("企业微信")


@scoped(org="org")
class Integration(models.Model):
    """An org's DingTalk or WeCom internal app (企业内部应用 / 自建应用)."""

    class MatchBy(models.TextChoices):
        STAFF_NO = "staff_no", _("工号")
        PHONE = "phone", _("手机号")

    org = models.OneToOneField(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="integration"
    )
    platform = models.CharField(_("平台"), max_length=10, choices=Platform.choices)
    corp_id = models.CharField(_("企业 ID（CorpId）"), max_length=100)
    app_key = models.CharField(_("AppKey"), max_length=100, blank=True)
    secret_encrypted = models.TextField(_("应用密钥（已加密）"), blank=True)
    agent_id = models.CharField(_("应用 AgentId"), max_length=40)
    match_by = models.CharField(
        _("按什么对应人员"), max_length=10, choices=MatchBy.choices, default=MatchBy.STAFF_NO
    )
    active = models.BooleanField(_("启用"), default=True)
    updated = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["secret_encrypted"])

    class Meta:
        verbose_name = _("钉钉/企业微信应用")
        verbose_name_plural = _("钉钉/企业微信应用")

    def __str__(self) -> str:
        return f"{self.org} · {self.get_platform_display()}"

    @property
    def secret(self) -> str:
        return crypto.decrypt(self.secret_encrypted)

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_encrypted = crypto.encrypt(value)


@scoped(org="org", person="person")
class PlatformAccount(models.Model):
    """A person's user id on the org's platform, and whether they want work notifications."""

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        on_delete=models.CASCADE,
        related_name="platform_accounts",
    )
    platform = models.CharField(_("平台"), max_length=10, choices=Platform.choices)
    userid = models.CharField(_("平台用户 ID"), max_length=100)
    receive_notices = models.BooleanField(_("接收工作通知"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("平台账号")
        verbose_name_plural = _("平台账号")
        ordering = ["org", "platform", "userid"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "platform", "userid"], name="platform_account_unique_userid"
            ),
            models.UniqueConstraint(
                fields=["person", "platform"], name="platform_account_unique_person"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.userid}"


@scoped(org="org", public_in_org=True)
class DepartmentLink(models.Model):
    """Which group a platform department was synced to."""

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(_("平台"), max_length=10, choices=Platform.choices)
    dept_id = models.CharField(_("部门 ID"), max_length=40)
    group = models.ForeignKey(
        Group, verbose_name=_("组"), on_delete=models.CASCADE, related_name="platform_links"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("部门对应")
        verbose_name_plural = _("部门对应")
        constraints = [
            models.UniqueConstraint(
                fields=["org", "platform", "dept_id"], name="department_link_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dept_id} → {self.group}"


@scoped(org="org")
class SendLog(models.Model):
    """One call to a platform's message API: who it was for, what the platform answered."""

    class Status(models.TextChoices):
        SENT = "sent", _("已发送")
        PARTIAL = "partial", _("部分无效")
        FAILED = "failed", _("失败")

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(_("平台"), max_length=10, choices=Platform.choices)
    created = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    title = models.CharField(_("标题"), max_length=200, blank=True)
    recipients = models.JSONField(_("接收人"), default=list)
    task_id = models.CharField(_("任务/消息 ID"), max_length=100, blank=True)
    invalid = models.JSONField(_("无效用户"), default=list)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    errcode = models.IntegerField(_("错误码"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=1)

    class Meta:
        verbose_name = _("工作通知发送记录")
        verbose_name_plural = _("工作通知发送记录")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} · {self.task_id or self.status}"


@scoped(org="org")
class SyncRun(models.Model):
    """One applied address-book sync: who confirmed it and what it changed."""

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    platform = models.CharField(_("平台"), max_length=10, choices=Platform.choices)
    created = models.DateTimeField(_("时间"), auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.JSONField(_("变更"), default=dict)

    class Meta:
        verbose_name = _("通讯录同步记录")
        verbose_name_plural = _("通讯录同步记录")
        ordering = ["-created", "-pk"]

    def __str__(self) -> str:
        return f"{self.created:%Y-%m-%d %H:%M} · {self.org}"
