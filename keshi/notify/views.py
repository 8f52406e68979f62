"""Pages: the inbox (everyone), reminder channels and settings (office staff of the org)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.notify import selectors, services
from keshi.notify.forms import ChannelForm, PolicyForm
from keshi.notify.models import Channel
from keshi.org.models import Org
from keshi.web.params import safe_next

PAGE_SIZE = 20


@login_required
def inbox(request):
    unread_only = request.GET.get("unread") == "1"
    qs = selectors.inbox(request.user, unread_only=unread_only)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/inbox.html",
        {
            "page": page,
            "unread_only": unread_only,
            "unread": selectors.unread_count(request.user),
            "can_configure": selectors.managed_orgs(request.user).exists(),
        },
    )


def _own(request, pk: int):
    return get_object_or_404(selectors.own_notifications(request.user), pk=pk)


def _back(request):
    return redirect(safe_next(request, reverse("notify:inbox")))


@login_required
@require_POST
def mark_read(request, pk: int):
    services.mark_read(user=request.user, notification=_own(request, pk))
    return _back(request)


@login_required
@require_POST
def mark_all_read(request):
    n = services.mark_all_read(user=request.user)
    messages.success(request, _("已将 %(n)d 条通知标为已读。") % {"n": n})
    return _back(request)


@login_required
def open_notification(request, pk: int):
    """Mark read and follow the notification's link (local links only)."""
    notification = _own(request, pk)
    services.mark_read(user=request.user, notification=notification)
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, {request.get_host()}, request.is_secure()):
        return redirect(link)
    return redirect("notify:inbox")


def _managed_org(request, code: str | None) -> tuple[Org, list[Org]]:
    orgs = list(selectors.managed_orgs(request.user))
    if not orgs:
        raise PermissionDenied
    if not code:
        return orgs[0], orgs
    for org in orgs:
        if org.code == code:
            return org, orgs
    raise Http404


def _channel(request, pk: int) -> Channel:
    return get_object_or_404(selectors.managed_channels(request.user), pk=pk)


def _channels_url(org: Org) -> str:
    return f"{reverse('notify:channels')}?org={org.code}"


@login_required
def channels(request):
    org, orgs = _managed_org(request, request.GET.get("org") or request.POST.get("org"))
    policy = selectors.policy(org)
    form = PolicyForm(request.POST or None, instance=policy)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("提醒设置已保存。"))
        return redirect(_channels_url(org))
    return render(
        request,
        "notify/channels.html",
        {
            "org": org,
            "orgs": orgs,
            "policy_form": form,
            "channels": selectors.channels(request.user, org),
            "digests": selectors.recent_digests(request.user, org),
        },
    )


@login_required
def channel_edit(request, pk: int | None = None):
    if pk is None:
        org, _orgs = _managed_org(request, request.GET.get("org"))
        channel = Channel(org=org)
    else:
        channel = _channel(request, pk)
        org = channel.org
    form = ChannelForm(request.POST or None, instance=channel)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
        messages.success(request, _("提醒渠道“%(name)s”已保存。") % {"name": channel.name})
        return redirect(_channels_url(org))
    return render(
        request, "notify/channel_form.html", {"form": form, "org": org, "channel": channel}
    )


@login_required
@require_POST
def channel_test(request, pk: int):
    channel = _channel(request, pk)
    error = services.send_test(channel)
    if error:
        messages.error(request, _("测试消息发送失败：%(error)s") % {"error": error})
    else:
        messages.success(request, _("测试消息已发送到“%(name)s”。") % {"name": channel.name})
    return redirect(_channels_url(channel.org))


@login_required
@require_POST
def channel_delete(request, pk: int):
    channel = _channel(request, pk)
    with transaction.atomic():
        channel.delete()
    messages.success(request, _("提醒渠道“%(name)s”已删除。") % {"name": channel.name})
    return redirect(_channels_url(channel.org))
