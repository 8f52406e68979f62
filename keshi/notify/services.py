"""Writes of the notify app: delivering to channels, marking notifications read."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.notify import webhooks
from keshi.notify.digest import Message
from keshi.notify.models import Channel, Digest, Notification
from keshi.notify.selectors import own_notifications

DEFAULT_WEBHOOK_HOSTS = ("oapi.dingtalk.com", "api.dingtalk.com", "qyapi.weixin.qq.com")


def webhook_hosts() -> tuple[str, ...]:
    """Hosts robots and the DingTalk/WeCom apps may call: ``KESHI_WEBHOOK_HOSTS`` (comma
    separated) or the platforms' public APIs."""
    configured = getattr(settings, "KESHI_WEBHOOK_HOSTS", None)
    if isinstance(configured, str):
        configured = configured.split(",")
    return tuple(configured or DEFAULT_WEBHOOK_HOSTS)


def absolute_link(path: str) -> str:
    """``path`` prefixed with ``KESHI_SITE_URL`` when set: robots and e-mails need full URLs."""
    base = getattr(settings, "KESHI_SITE_URL", "").rstrip("/")
    return f"{base}{path}" if base and path else ""


def deliver(channel: Channel, message: Message) -> None:
    """Send ``message`` through ``channel``; raises on any failure."""
    timeout = getattr(settings, "KESHI_WEBHOOK_TIMEOUT", webhooks.TIMEOUT_S)
    if channel.kind == Channel.Kind.EMAIL:
        EmailMessage(message.title, message.text, to=[channel.email]).send()
        return
    webhooks.check_url(channel.webhook_url, webhook_hosts())
    if channel.kind == Channel.Kind.DINGTALK:
        url = webhooks.dingtalk_url(channel.webhook_url, channel.secret)
        payload = webhooks.dingtalk_payload(
            message.title, message.markdown, mention_all=channel.mention_all
        )
    else:
        url, payload = channel.webhook_url, webhooks.wecom_payload(message.markdown)
    webhooks.post_json(url, payload, timeout=timeout)


def error_text(exc: Exception) -> str:
    return (str(exc) or exc.__class__.__name__)[:2000]


def send_test(channel: Channel) -> str | None:
    """Post a test message; the error text, or None when it went through."""
    title = _("科室工作系统提醒测试消息")

    def body(esc) -> str:
        return _("这是来自“%(org)s”的测试消息：提醒渠道“%(name)s”配置正确。") % {
            "org": esc(channel.org),
            "name": esc(channel.name),
        }

    markdown = f"### {title}\n\n{body(webhooks.escape_markdown)}"
    try:
        deliver(channel, Message(title, body(str), markdown))
    except Exception as exc:  # noqa: BLE001 — any failure is shown to the office, not raised
        return error_text(exc)
    return None


def claim(*, org, on, key: str, via: str, **who) -> Digest | None:
    """Reserve today's delivery ``key``. None when it was already sent (or is being sent by a
    concurrent run); a failed delivery is claimed again, so a rerun retries it."""
    digest, created = Digest.objects.get_or_create(
        date=on, key=key, defaults={"org": org, "via": via, "status": Digest.Status.PENDING, **who}
    )
    if created:
        return digest
    retried = Digest.objects.filter(pk=digest.pk, status=Digest.Status.FAILED).update(
        status=Digest.Status.PENDING, attempts=F("attempts") + 1, error=""
    )
    if retried:
        digest.refresh_from_db()
        return digest
    return None


def finish(digest: Digest, error: str = "") -> None:
    digest.status = Digest.Status.FAILED if error else Digest.Status.SENT
    digest.error = error
    digest.save(update_fields=["status", "error", "updated"])


@transaction.atomic
def mark_read(*, user, notification: Notification) -> None:
    own_notifications(user).filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def mark_all_read(*, user) -> int:
    return own_notifications(user).filter(read_at__isnull=True).update(read_at=timezone.now())
