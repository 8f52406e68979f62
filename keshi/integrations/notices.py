"""Work notifications (钉钉工作通知 / 企业微信应用消息) to each person, as one more personal
channel of the daily reminder run and of every single notice (both registered with
keshi.notify.personal).

A platform call carries one message to many recipients (DingTalk ≤ 100, WeCom ≤ 1000), and
DingTalk takes the same content only once a day per person. So the card says what kind of
reminder it is and links into keshi, where the detail is (the in-app notification of the same
run holds the full text): everyone whose card is the same goes into the same batch, one call
per batch, each call a ``SendLog`` row with the platform's task/message id and the recipients
it reported invalid. Each person's delivery is a ``Digest`` row like in-app and e-mail, so a
second run on the same day sends nothing twice and a failed call is retried with back-off.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from keshi.integrations import selectors
from keshi.integrations.clients import Card, Client, DingTalkClient, PlatformError
from keshi.integrations.models import Integration, PlatformAccount, SendLog
from keshi.notify import digest as D
from keshi.notify.services import absolute_link, claim, error_text, finish

log = logging.getLogger(__name__)
STILL_SENDING = _lazy("平台仍在发送，稍后再查询结果")
# DingTalk's asyncsend_v2 may still be delivering when asked right away: asked again after
# each of these delays until it has finished (keshi.integrations.tasks.recheck_send).
RECHECK_DELAYS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30))


def recheck_at(attempt: int):
    return timezone.now() + RECHECK_DELAYS[attempt - 1]


def card_for(at: date, link_path: str, site_link: str) -> Card:
    """The day's card for one kind of recipient: their own tasks, or a group's/the org's."""
    title = _("每日提醒（%(date)s）") % {"date": D.fmt_day(at)}
    if link_path == reverse("rules:my_tasks"):
        text = _("你有已逾期或即将截止的工作，打开“我的任务”查看详情。")
    else:
        text = _("你负责的组或本单位有进度落后的人员，打开“达标情况”查看详情。")
    return Card(title=title, text=text, markdown=f"### {title}\n\n{text}", url=site_link)


def _chunks(items: list, size: int):
    for i in range(0, len(items), size):
        yield items[i : i + size]


def send_work_notices(org, at: date, items: list, report) -> None:
    """The personal sender of the daily run: ``items`` are (Recipient, Message)."""
    integration = selectors.active_integration(org)
    if integration is None:
        return
    person_ids = [r.person.pk for r, _m in items if r.person is not None]
    accounts = {
        a.person_id: a
        for a in _reachable(org.pk).filter(platform=integration.platform, person_id__in=person_ids)
    }
    batches: dict[Card, list] = defaultdict(list)
    for r, _message in items:
        account = accounts.get(r.person.pk) if r.person is not None else None
        if account is None:
            continue
        key = f"{org.pk}:{r.key}:work"
        digest = (
            None
            if key in report.done
            else claim(
                org=org, on=at, key=key, via=integration.platform, person=r.person, user=r.user
            )
        )
        if digest is None:
            report.skipped += 1
            continue
        batches[card_for(at, r.link, absolute_link(r.link))].append((account.userid, digest))
    if not batches:
        return
    client = Client.for_integration(integration)
    for card, entries in batches.items():
        for batch in _chunks(entries, client.batch_size):
            deliver_batch(integration, client, card, batch, report)


def deliver_batch(integration: Integration, client: Client, card: Card, batch, report) -> SendLog:
    """One platform call for ``batch`` (userid, Digest) and its log row."""
    entry = send_logged(integration, client, card, [u for u, _d in batch])
    for userid, digest in batch:
        if entry.status == SendLog.Status.FAILED:
            finish(digest, entry.error)
        elif userid in entry.invalid:
            finish(digest, _("平台报告该用户无效或不可达：%(u)s") % {"u": userid})
        else:
            finish(digest)
            report.sent[f"{integration.platform}_work"] += 1
    if entry.status == SendLog.Status.FAILED:
        report.failed[integration.platform] += len(batch)
    return entry


def send_logged(
    integration: Integration, client: Client, card: Card, userids: list[str]
) -> SendLog:
    """One platform call to ``userids`` and its log row: the platform's task/message id, and
    the recipients it reported invalid (for DingTalk, asked right after sending)."""
    entry = SendLog(
        org=integration.org, platform=integration.platform, title=card.title, recipients=userids
    )
    try:
        delivery = client.send(userids, card)
    except PlatformError as exc:
        entry.status, entry.errcode = SendLog.Status.FAILED, exc.errcode
        entry.error = error_text(exc)
        entry.save()
        return entry
    invalid, done = list(delivery.invalid), True
    if isinstance(client, DingTalkClient) and delivery.task_id:
        try:
            done, reported = client.send_result(delivery.task_id)
            invalid = list(reported)
            if not done:
                entry.error = str(STILL_SENDING)
        except PlatformError as exc:  # the message went out; only its result is unknown
            entry.error = str(exc)
    entry.task_id = delivery.task_id
    record_result(entry, invalid)
    if not done:
        from keshi.integrations.tasks import recheck_send

        transaction.on_commit(lambda: recheck_send.using(run_after=recheck_at(1)).enqueue(entry.pk))
    return entry


def record_result(entry: SendLog, invalid: list[str]) -> None:
    entry.invalid = invalid
    entry.status = SendLog.Status.PARTIAL if invalid else SendLog.Status.SENT
    entry.save()


def _reachable(org_id: int):
    """The accounts of ``org_id`` whose person is active and takes work notifications."""
    return PlatformAccount.objects.filter(org_id=org_id, receive_notices=True, person__active=True)


def takes_notices(person) -> bool:
    """Whether a single notice to ``person`` has a work notification to go out as."""
    return (
        _reachable(person.org_id)
        .filter(person=person, org__integration__active=True)
        .filter(org__integration__platform=F("platform"))
        .exists()
    )


def send_work_notice(notification) -> bool | None:
    """A single notice (feedback, an assignment, a draw, a 整改) as its own card: the
    notification's title and text, linking to where it points in keshi."""
    person = notification.person
    integration = selectors.active_integration(person.org)
    account = (
        _reachable(person.org_id).filter(platform=integration.platform, person=person).first()
        if integration is not None
        else None
    )
    if account is None:
        return None
    title, text = notification.title, notification.body or notification.title
    card = Card(
        title=title,
        text=text,
        markdown=f"### {title}\n\n{text}",
        url=absolute_link(notification.link) if notification.link else "",
    )
    entry = send_logged(integration, Client.for_integration(integration), card, [account.userid])
    return entry.status != SendLog.Status.FAILED
