import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keshi.org.models import Org
from keshi.org.scoping import scoped


class CurrentGrants(models.Manager):
    """The grants in force today (start and end inclusive): the default manager, so every
    permission check reads only these. ``RoleGrant.every`` has the ended and future ones."""

    def get_queryset(self) -> models.QuerySet:
        today = timezone.localdate()
        return (
            super()
            .get_queryset()
            .filter(Q(start__isnull=True) | Q(start__lte=today))
            .filter(Q(end__isnull=True) | Q(end__gte=today))
        )


@scoped(org="org")
class RoleGrant(models.Model):
    """An org-wide role held by a user. Group leads and teachers need no grant: they follow from
    memberships and the user's ``Person``; the system admin is ``is_superuser``."""

    class Role(models.TextChoices):
        OFFICE = "office", _("科室管理员")
        LEADER = "leader", _("学校领导（只读）")
        DISTRICT = "district", _("区级管理员")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="grants",
    )
    org = models.ForeignKey(
        Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="grants"
    )
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    start = models.DateField(_("起始日期"), null=True, blank=True)
    end = models.DateField(_("结束日期"), null=True, blank=True)
    history = HistoricalRecords()

    objects = CurrentGrants()
    every = models.Manager()  # noqa: DJ012 -- ruff takes CurrentGrants() for a field

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            models.UniqueConstraint(fields=["user", "org", "role"], name="rolegrant_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.org} · {self.get_role_display()}"

    @property
    def in_force(self) -> bool:
        """What ``RoleGrant.objects`` selects, for a grant already loaded."""
        today = timezone.localdate()
        return (self.start is None or self.start <= today) and (
            self.end is None or today <= self.end
        )


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """Bearer token for the API. Only its SHA-256 is stored; the raw value is shown once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("名称"), max_length=100, blank=True)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked = models.BooleanField(_("已吊销"), default=False)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.user} · {self.prefix}…"

    @classmethod
    def issue(cls, user, name: str = "") -> tuple["ApiToken", str]:
        raw = "ks_" + secrets.token_urlsafe(32)
        token = cls.objects.create(user=user, name=name, prefix=raw[:8], key_hash=hash_token(raw))
        return token, raw


@scoped(org="org", person="person")
class LoginEvent(models.Model):
    """Who opened, reset, disabled or enabled whose login, and when the owner changed the
    password: the audit trail of logins (Django's ``User`` keeps none). The latest event also
    says whether the password in use is an initial one that must be changed at first login."""

    class Action(models.TextChoices):
        CREATED = "created", _("开通账号")
        LINKED = "linked", _("关联已有账号")
        RESET = "reset", _("重置密码")
        DISABLED = "disabled", _("停用账号")
        ENABLED = "enabled", _("启用账号")
        CHANGED = "changed", _("本人修改密码")

    INITIAL_PASSWORD = (Action.CREATED, Action.RESET)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="login_events",
    )
    org = models.ForeignKey(Org, verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(
        "org.Person", verbose_name=_("人员"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("账号操作记录")
        verbose_name_plural = _("账号操作记录")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_action_display()}"


def must_change_password(user) -> bool:
    last = LoginEvent.objects.filter(user=user).values_list("action", flat=True).first()
    return last in LoginEvent.INITIAL_PASSWORD


class Preference(models.Model):
    """One user's own settings: the language keshi speaks to them (Chinese unless they chose)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("账号"),
        on_delete=models.CASCADE,
        related_name="preference",
    )
    language = models.CharField(
        _("界面语言"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("个人设置")
        verbose_name_plural = _("个人设置")

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"
