"""Personal channels beyond in-app and e-mail (DingTalk 工作通知, WeCom 应用消息): apps that
deliver to a person register a sender here, and the daily run (keshi.notify.daily) hands each
sender the day's digests once, after in-app and e-mail, so that the sender can batch them.

A sender is ``sender(org, at, items, report)`` with ``items`` a list of (Recipient, Message);
it claims and finishes its own ``Digest`` rows (keshi.notify.services.claim/finish) and counts
into ``report.sent`` / ``report.failed`` like the built-in ways, so a failure is retried with
the same back-off (keshi.notify.tasks).

Single notices (feedback received, an observation assigned, a draw, a 整改 — everything made by
``keshi.records.feedback_services.notify``) reach the same channels one at a time: an app
registers a notice sender ``sender(notification) -> bool | None`` (True sent, False failed and
worth retrying, None: not for this person) with ``wants(person) -> bool`` (one cheap query: is
the person reachable that way?), and ``send_later`` hands each new notification wanted by some
sender to the senders in the background (``keshi.notify.tasks.deliver_notice``) once its transaction has
committed."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

_SENDERS: list[Callable] = []
_NOTICE_SENDERS: dict[Callable, Callable] = {}  # sender: wants


def register(sender: Callable) -> None:
    if sender not in _SENDERS:
        _SENDERS.append(sender)


def senders() -> list[Callable]:
    return list(_SENDERS)


def register_notice(sender: Callable, wants: Callable) -> None:
    _NOTICE_SENDERS[sender] = wants


def notice_senders() -> list[Callable]:
    return list(_NOTICE_SENDERS)


def send_later(notification) -> None:
    person = notification.person
    if person is None or not any(wants(person) for wants in _NOTICE_SENDERS.values()):
        return
    from keshi.notify.tasks import deliver_notice

    transaction.on_commit(lambda: deliver_notice.enqueue(notification.pk))
