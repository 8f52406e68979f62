from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.org.models import Org, Person
from keshi.org.scoping import scoped

DEFAULT_DAYS_AHEAD = 3


@scoped(org="org", person="person")
class Notification(models.Model):
    """An in-app message. Addressed to a login (``user``) and, when there is one, the person
    behind it, so that a person who gets a login later finds their history."""

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="notifications"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    created = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_user_read"),
            models.Index(fields=["person", "read_at"], name="notification_person_read"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(person__isnull=False),
                name="notification_has_recipient",
            )
        ]

    def __str__(self) -> str:
        return self.title


@scoped(org="org")
class Channel(models.Model):
    """Where an org's daily summary goes: a DingTalk or WeCom group robot, or a mailbox."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("电子邮件")
        DINGTALK = "dingtalk", _("钉钉群机器人")
        WECOM = "wecom", _("企业微信群机器人")

    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="channels"
    )
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    webhook_url = models.URLField(_("Webhook 地址"), max_length=500, blank=True)
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True)
    email = models.EmailField(_("收件邮箱"), blank=True)
    mention_all = models.BooleanField(_("@所有人"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    created = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("提醒渠道")
        verbose_name_plural = _("提醒渠道")
        ordering = ["org", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.EMAIL and not self.email:
            raise ValidationError({"email": _("电子邮件渠道需要填写收件邮箱。")})
        if self.kind in (self.Kind.DINGTALK, self.Kind.WECOM) and not self.webhook_url:
            raise ValidationError({"webhook_url": _("群机器人需要填写 Webhook 地址。")})


@scoped(org="org")
class ReminderPolicy(models.Model):
    """An org's reminder settings; an org without one uses the defaults."""

    org = models.OneToOneField(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="reminder_policy"
    )
    enabled = models.BooleanField(_("每日提醒"), default=True)
    days_ahead = models.PositiveSmallIntegerField(
        _("提前提醒天数"),
        default=DEFAULT_DAYS_AHEAD,
        help_text=_("截止日期在这么多天以内、尚未完成的任务会提醒。"),
    )
    send_email = models.BooleanField(_("同时发邮件给有邮箱的人"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("提醒设置")
        verbose_name_plural = _("提醒设置")

    def __str__(self) -> str:
        return str(self.org)


@scoped(org="org")
class Digest(models.Model):
    """One delivery of one day's reminder: the log that makes the daily run idempotent.

    ``key`` names the recipient and the way (``u12:inapp``, ``u12:email``, ``channel3``…);
    ``(date, key)`` is unique, so a second run on the same day finds the row and sends nothing.
    """

    class Via(models.TextChoices):
        INAPP = "inapp", _("站内通知")
        EMAIL = "email", _("电子邮件")
        DINGTALK = "dingtalk", _("钉钉群机器人")
        WECOM = "wecom", _("企业微信群机器人")

    class Status(models.TextChoices):
        PENDING = "pending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("失败")

    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    date = models.DateField(_("日期"))
    key = models.CharField(max_length=60)
    via = models.CharField(_("方式"), max_length=10, choices=Via.choices)
    person = models.ForeignKey(
        Person,
        verbose_name=_("人员"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("渠道"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="digests",
    )
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices)
    error = models.TextField(_("错误"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=1)
    updated = models.DateTimeField(_("时间"), auto_now=True)

    class Meta:
        verbose_name = _("提醒发送记录")
        verbose_name_plural = _("提醒发送记录")
        ordering = ["-date", "-pk"]
        constraints = [models.UniqueConstraint(fields=["date", "key"], name="digest_unique_key")]

    def __str__(self) -> str:
        return f"{self.date} · {self.key} · {self.status}"
