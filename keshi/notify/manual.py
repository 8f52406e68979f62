"""提醒未完成的人: the office (or a group lead, for their members) reminds the people behind on
some requirements now, from the compliance page, rather than waiting for the daily run.

The message is the daily run's (:func:`keshi.notify.digest.person_message`, ``manual=True``)
limited to the chosen requirements. Each delivery is one ``Digest`` per (person, requirement,
way) keyed ``manual:<requirement>:<recipient>:<way>``: no one is reminded twice the same day for
the same requirement, whoever clicks, and the daily run's keys never collide with these. A
person owing several chosen requirements gets one notification holding all of them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse

from keshi.accounts.language import languages_of, speaking
from keshi.calendar.models import Term
from keshi.notify import digest as D
from keshi.notify.models import Digest, Notification, ReminderPolicy
from keshi.notify.services import absolute_link, claim, error_text, finish
from keshi.org.models import Org, Person
from keshi.rules import standing as rule_standing
from keshi.rules.engine import Cell
from keshi.rules.models import Requirement
from keshi.rules.selectors import Shown, is_cap
from keshi.rules.status import Status

log = logging.getLogger(__name__)

OWED = (Status.BEHIND, Status.MISSED)
INAPP, EMAIL = Digest.Via.INAPP, Digest.Via.EMAIL
Owed = list[tuple[Requirement, Cell]]


def digest_key(requirement_id: int, recipient: str, via: str) -> str:
    return f"manual:{requirement_id}:{recipient}:{via}"


@dataclass
class Reminder:
    """One person behind on the chosen requirements, and what they would receive now."""

    person: Person
    recipient: str  # u<user pk> or p<person pk>, as the daily run names recipients
    owed: Owed  # behind or overdue, in requirement order
    done: set[int] = field(default_factory=set)  # requirement ids reminded today already
    message: D.Message | None = None  # what they receive for the ones not reminded yet
    email: str = ""  # the address the message also goes to; empty: in-app only
    language: str | None = None  # the one the person chose (keshi.accounts.language)

    @property
    def fresh(self) -> Owed:
        return [(r, c) for r, c in self.owed if r.pk not in self.done]

    @property
    def reminded_today(self) -> bool:
        return not self.fresh

    @property
    def lines(self) -> list[tuple[Requirement, Shown, bool]]:
        """(requirement, the cell as the matrix shows it, reminded today already)."""
        return [(r, Shown(c, is_cap(r)), r.pk in self.done) for r, c in self.owed]


@dataclass
class Outcome:
    reminded: int = 0  # people who got a notification
    skipped: int = 0  # people already reminded today of everything chosen
    emailed: int = 0
    email_failed: int = 0


def message_for(
    name: str, owed: Owed, *, at: date, days_ahead: int, link: str = ""
) -> D.Message | None:
    """The daily run's digest of these items, as a manual reminder."""
    standing = D.classify(name, [(r.name, c) for r, c in owed], at, days_ahead)
    return D.person_message(standing, at=at, days_ahead=days_ahead, link=link, manual=True)


def plan(
    *,
    org: Org,
    term: Term,
    at: date,
    people: list[Person],
    requirements,
    policy: ReminderPolicy,
) -> list[Reminder]:
    """Who among ``people`` is behind or overdue on ``requirements`` in the current period, and
    what each would receive; reads only (one engine run, one query for today's log)."""
    result = rule_standing.evaluate(
        term=term, at=at, people=people, requirements=requirements, history=False
    )
    sent = set(
        Digest.objects.filter(
            org=org, date=at, status=Digest.Status.SENT, key__startswith="manual:"
        ).values_list("key", flat=True)
    )
    link = absolute_link(reverse("rules:my_tasks"))
    reminders = []
    languages = languages_of(p.user_id for p in people)
    for p in people:
        owed = [
            (r, c)
            for r in result.requirements
            if (c := result.current(p.pk, r.pk)) is not None and c.status in OWED
        ]
        if not owed:
            continue
        recipient = f"u{p.user_id}" if p.user_id else f"p{p.pk}"
        rem = Reminder(p, recipient, owed, language=languages.get(p.user_id))
        rem.done = {r.pk for r, _c in owed if digest_key(r.pk, recipient, INAPP) in sent}
        if rem.fresh:
            rem.message = _message(rem, org, rem.fresh, at, policy.days_ahead, link)
        user = p.user if p.user_id else None
        if policy.send_email and user is not None and user.is_active and user.email:
            rem.email = user.email
        reminders.append(rem)
    return reminders


def send(*, org: Org, at: date, reminders: list[Reminder], days_ahead: int, by=None) -> Outcome:
    """Deliver ``reminders`` (from :func:`plan`): an in-app notification each, and an e-mail
    where the reminder has an address. A failed e-mail is logged in its ``Digest`` (and the
    notification has gone out already)."""
    outcome = Outcome()
    link = reverse("rules:my_tasks")
    for rem in reminders:
        items = _send_inapp(org, at, rem, days_ahead, link)
        if not items:
            outcome.skipped += 1
            continue
        outcome.reminded += 1
        if rem.email:
            ok = _send_email(org, at, rem, items, days_ahead, link)
            if ok is True:
                outcome.emailed += 1
            elif ok is False:
                outcome.email_failed += 1
    log.info(
        "manual reminders in %s by %s: %d reminded, %d skipped, %d e-mails failed",
        org.code,
        getattr(by, "username", "-"),
        outcome.reminded,
        outcome.skipped,
        outcome.email_failed,
    )
    return outcome


def _message(rem: Reminder, org: Org, items: Owed, at: date, days_ahead: int, link: str):
    """What ``rem``'s person receives, in their language and their org's words."""
    with speaking(rem.language, org):
        return message_for(rem.person.name, items, at=at, days_ahead=days_ahead, link=link)


def _who(rem: Reminder) -> dict:
    return {"person": rem.person, "user": rem.person.user if rem.person.user_id else None}


def _claim_each(org: Org, at: date, rem: Reminder, owed: Owed, via: str):
    """Claim today's delivery of each item; the claimed items and their log rows."""
    claimed, digests = [], []
    for r, c in owed:
        d = claim(org=org, on=at, key=digest_key(r.pk, rem.recipient, via), via=via, **_who(rem))
        if d is not None:
            claimed.append((r, c))
            digests.append(d)
    return claimed, digests


def _send_inapp(org: Org, at: date, rem: Reminder, days_ahead: int, link: str) -> Owed:
    """The notification, for the items nobody reminded this person of today (a concurrent
    click may have taken some since :func:`plan`); the items it holds."""
    with transaction.atomic():
        claimed, digests = _claim_each(org, at, rem, rem.fresh, INAPP)
        if not claimed:
            return []
        message = _message(rem, org, claimed, at, days_ahead, absolute_link(link))
        Notification.objects.create(
            org=org,
            user=_who(rem)["user"],
            person=rem.person,
            title=message.title[:200],
            body=message.text,
            link=link,
        )
        for d in digests:
            finish(d)
    return claimed


def _send_email(
    org: Org, at: date, rem: Reminder, items: Owed, days_ahead: int, link: str
) -> bool | None:
    """True when sent, False when it failed (logged), None when already sent today."""
    claimed, digests = _claim_each(org, at, rem, items, EMAIL)
    if not claimed:
        return None
    message = _message(rem, org, claimed, at, days_ahead, absolute_link(link))
    try:
        EmailMessage(message.title, message.text, to=[rem.email]).send()
    except Exception as exc:  # noqa: BLE001 — logged in the Digest, the others go on
        log.warning("manual reminder e-mail to %s failed: %s", rem.person.pk, exc)
        for d in digests:
            finish(d, error_text(exc))
        return False
    for d in digests:
        finish(d)
    return True
