"""Pages: the inbox (everyone), reminder channels and settings (office staff of the org), and
提醒未完成的人 (office staff, group leads for their members)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term
from keshi.notify import manual, selectors, services
from keshi.notify.filters import InboxFilter
from keshi.notify.forms import ChannelForm, PolicyForm
from keshi.notify.models import Channel
from keshi.org.models import Group, Org
from keshi.org.scoping import visible
from keshi.rules import selectors as rule_selectors
from keshi.rules.models import Requirement
from keshi.web.params import parse_id, safe_next

PAGE_SIZE = 20


@login_required
def inbox(request):
    filters = InboxFilter(request.GET, queryset=selectors.inbox(request.user))
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notify/inbox.html",
        {
            "page": page,
            "filters": filters,
            "unread_only": filters.unread_only,
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


# ---- 提醒未完成的人 ----------------------------------------------------------------------------


@dataclass
class _Target:
    org: Org
    group: Group | None
    requirement: Requirement | None  # None: every requirement of the compliance page
    requirements: object  # QuerySet[Requirement]
    term: Term | None
    at: date
    back: str


def _given_id(request, name: str) -> int | None:
    """An id the page carries along; a malformed one is 404 rather than "not given", so a bad
    hidden field can never widen what is sent."""
    raw = (request.POST if request.method == "POST" else request.GET).get(name)
    if not raw:
        return None
    pk = parse_id(raw)
    if pk is None:
        raise Http404
    return pk


def _remind_target(request, requirement_id: int | None) -> _Target:
    """What to remind about, checked: another org's objects are 404, a user who may not remind
    there (a teacher, a leader) 403, a group the lead does not lead 404."""
    user = request.user
    requirement = None
    if requirement_id is not None:
        requirement = get_object_or_404(
            visible(user, Requirement.objects.select_related("org")), pk=requirement_id
        )
        org = requirement.org
    elif (org_id := _given_id(request, "org")) is not None:
        org = get_object_or_404(visible(user, Org.objects.all()), pk=org_id)
    else:
        orgs = selectors.remind_orgs(user)
        if not orgs:
            raise PermissionDenied
        org = orgs[0]
    if not selectors.may_remind(user, org):
        raise PermissionDenied
    group_id = _given_id(request, "group")
    group = None
    if group_id is not None:
        group = get_object_or_404(selectors.remind_groups(user, org), pk=group_id)
    requirements = rule_selectors.requirements_of(
        user, org, pk=requirement.pk if requirement else None
    )
    if requirement is not None and not requirements.exists():
        raise Http404  # a group-owned or inactive rule: nobody to remind
    at = timezone.localdate()
    back = safe_next(request, f"{reverse('rules:compliance')}?org={org.pk}")
    return _Target(org, group, requirement, requirements, current_term(org, at), at, back)


def _reminders(request, t: _Target) -> list[manual.Reminder]:
    if t.term is None:
        return []
    people = rule_selectors.matrix_people(request.user, org=t.org, at=t.at, group=t.group)
    return manual.plan(
        org=t.org,
        term=t.term,
        at=t.at,
        people=list(people.select_related("user")),
        requirements=t.requirements,
        policy=selectors.policy(t.org),
    )


@login_required
def remind(request, pk: int | None = None):
    """The preview: who is behind, what they will receive, through which channels."""
    t = _remind_target(request, pk)
    reminders = _reminders(request, t)
    return render(
        request,
        "notify/remind.html",
        {
            "t": t,
            "to_send": [r for r in reminders if not r.reminded_today],
            "already": [r for r in reminders if r.reminded_today],
            "can_configure": selectors.managed_orgs(request.user).filter(pk=t.org.pk).exists(),
        },
    )


@login_required
@require_POST
def remind_send(request):
    """Send what the preview showed, to the people it listed (still behind now)."""
    t = _remind_target(request, _given_id(request, "requirement"))
    listed = {parse_id(v) for v in request.POST.getlist("person")} - {None}
    reminders = [r for r in _reminders(request, t) if r.person.pk in listed]
    outcome = manual.send(
        org=t.org,
        at=t.at,
        reminders=reminders,
        days_ahead=selectors.policy(t.org).days_ahead,
        by=request.user,
    )
    messages.success(
        request,
        _("已提醒 %(n)d 人，跳过 %(m)d 人（今天已提醒）。")
        % {"n": outcome.reminded, "m": outcome.skipped},
    )
    if outcome.email_failed:
        messages.error(
            request,
            _("%(n)d 封邮件发送失败，站内通知已送达；错误见发送记录。")
            % {"n": outcome.email_failed},
        )
    if t.requirement is not None:
        url = reverse("notify:remind_requirement", args=[t.requirement.pk])
    else:
        url = reverse("notify:remind")
    query = {"org": t.org.pk, "group": t.group.pk if t.group else "", "next": t.back}
    return redirect(f"{url}?{urlencode({k: v for k, v in query.items() if v})}")
