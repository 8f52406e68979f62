"""Personal channels beyond in-app and e-mail (DingTalk 工作通知, WeCom 应用消息): apps that
deliver to a person register a sender here, and the daily run (keshi.notify.daily) hands each
sender the day's digests once, after in-app and e-mail, so that the sender can batch them.

A sender is ``sender(org, at, items, report)`` with ``items`` a list of (Recipient, Message);
it claims and finishes its own ``Digest`` rows (keshi.notify.services.claim/finish) and counts
into ``report.sent`` / ``report.failed`` like the built-in ways, so a failure is retried with
the same back-off (keshi.notify.tasks)."""

from __future__ import annotations

from collections.abc import Callable

_SENDERS: list[Callable] = []


def register(sender: Callable) -> None:
    if sender not in _SENDERS:
        _SENDERS.append(sender)


def senders() -> list[Callable]:
    return list(_SENDERS)
