"""The daily reminder run: one compliance evaluation per org, one digest per recipient, one
summary per org channel, each delivery logged in ``Digest`` so that a second run on the same
day sends nothing twice and a failure is visible (and retried by the next run).

Recipients: every active person with something overdue or due soon; group leads with members
behind (their groups and sub-groups); office staff of the org (the org summary). A person who is
also a lead gets one digest holding both.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from keshi.accounts.language import languages_of, speaking
from keshi.accounts.models import RoleGrant
from keshi.calendar.models import Term
from keshi.notify import deadlines, personal, selectors
from keshi.notify import digest as D
from keshi.notify.models import Channel, Digest, Notification
from keshi.notify.services import absolute_link, claim, deliver, error_text, finish
from keshi.ops import stale_uploads
from keshi.org.models import Group, Membership, Org, Person
from keshi.org.words import using
from keshi.rules.engine import evaluate

log = logging.getLogger(__name__)


@dataclass
class Recipient:
    key: str
    name: str
    user: object | None = None
    person: Person | None = None
    standing: D.Standing | None = None
    groups: list[tuple[str, list[D.Standing]]] = field(default_factory=list)
    summary: D.OrgSummary | None = None
    link: str = ""

    @property
    def email(self) -> str:
        return getattr(self.user, "email", "") or ""


@dataclass
class OrgReport:
    org: str
    term: str = ""
    recipients: int = 0
    sent: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failed: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skipped: int = 0  # already sent earlier today
    messages: list[tuple[str, D.Message]] = field(default_factory=list)  # dry run only
    error: str = ""
    done: set[str] = field(default_factory=set)

    def as_dict(self) -> dict:
        return {
            "org": self.org,
            "term": self.term,
            "recipients": self.recipients,
            "sent": dict(self.sent),
            "failed": dict(self.failed),
            "skipped": self.skipped,
            "error": self.error,
        }


def send_daily_reminders(
    *, at: date | None = None, org_code: str | None = None, dry_run: bool = False
) -> list[OrgReport]:
    """Run the day's reminders for every org with a term in progress (or just ``org_code``).
    An org that fails is reported and the others still run. Being the daily job, it also
    deletes import uploads never confirmed (keshi.ops.stale_uploads)."""
    at = at or timezone.localdate()
    if not dry_run:
        stale_uploads.delete_stale_uploads()
    orgs = Org.objects.all() if org_code is None else Org.objects.filter(code=org_code)
    reports = []
    with translation.override(settings.LANGUAGE_CODE):
        for org in orgs.order_by("path"):
            term = (
                Term.objects.filter(school_year__org=org, start__lte=at, end__gte=at)
                .select_related("school_year")
                .first()
            )
            if term is None:
                continue
            report = OrgReport(org=org.code, term=str(term))
            try:
                with using(org):  # a hospital's reminders in its words (keshi.org.glossary)
                    run_org(org, term, at, report, dry_run=dry_run)
            except Exception as exc:  # noqa: BLE001 — one org's failure must not stop the rest
                log.exception("reminders failed for org %s", org.code)
                report.error = error_text(exc)
            reports.append(report)
    return reports


def run_org(org: Org, term: Term, at: date, report: OrgReport, *, dry_run: bool) -> None:
    policy = selectors.policy(org)
    if not policy.enabled:
        return
    recipients, summary = plan(org, term, at, policy.days_ahead)
    report.recipients = len(recipients)
    # Today's finished deliveries, read once: a rerun skips them without a query each.
    report.done = set(
        Digest.objects.filter(org=org, date=at, status=Digest.Status.SENT).values_list(
            "key", flat=True
        )
    )
    personal_items: list[tuple[Recipient, D.Message]] = []
    languages = languages_of(getattr(r.user, "pk", None) for r in recipients)
    for r in recipients:
        with speaking(languages.get(getattr(r.user, "pk", None)), org):
            message = D.person_message(
                r.standing,
                at=at,
                days_ahead=policy.days_ahead,
                groups=r.groups,
                summary=r.summary,
                link=absolute_link(r.link),
            )
        if message is None:
            continue
        if dry_run:
            report.messages.append((r.name, message))
            continue
        _send_inapp(org, at, r, message, report)
        if policy.send_email and r.email:
            _send_email(org, at, r, message, report)
        personal_items.append((r, message))
    for sender in personal.senders() if personal_items else ():
        try:
            sender(org, at, personal_items, report)
        except Exception as exc:  # noqa: BLE001 — one way's failure must not stop the others
            log.exception("personal sender failed for org %s", org.code)
            report.error = error_text(exc)
    org_message = D.org_message(summary, absolute_link(reverse("rules:compliance")))
    if org_message is None:
        return
    for channel in Channel.objects.filter(org=org, active=True).order_by("pk"):
        if dry_run:
            report.messages.append((str(channel), org_message))
            continue
        _send_channel(org, at, channel, org_message, report)


def plan(org: Org, term: Term, at: date, days_ahead: int) -> tuple[list[Recipient], D.OrgSummary]:
    """Who gets what today; reads only (one engine run and a few bulk queries)."""
    people = list(Person.objects.filter(org=org, active=True).select_related("user"))
    result = evaluate(term=term, at=at, people=people, history=False)
    standings: dict[int, D.Standing] = {}
    for p in people:
        cells = [(r.name, result.current(p.pk, r.pk)) for r in result.requirements]
        standings[p.pk] = D.classify(p.name, cells, at, days_ahead)
    for person_id, tasks in deadlines.by_person(org, at).items():
        if person_id in standings:
            D.add_tasks(standings[person_id], tasks, at, days_ahead)
    assessed = [
        standings[p.pk]
        for p in people
        if any((p.pk, r.pk) in result.cells for r in result.requirements)
    ]
    summary = D.summarize(org.name, at, assessed, days_ahead)

    recipients: dict[str, Recipient] = {}

    def recipient_for(person: Person | None, user=None) -> Recipient:
        user = user or (person.user if person else None)
        key = f"u{user.pk}" if user else f"p{person.pk}"
        if key not in recipients:
            name = person.name if person else (user.get_full_name() or user.username)
            recipients[key] = Recipient(key, name, user=user, person=person)
        return recipients[key]

    by_pk = {p.pk: p for p in people}
    for p in people:
        s = standings[p.pk]
        if s.due_soon or s.overdue:
            r = recipient_for(p)
            r.standing, r.link = s, reverse("rules:my_tasks")
    for lead_id, groups in _led_groups(org, at).items():
        lead = by_pk.get(lead_id)
        if lead is None:
            continue
        sections = [
            (name, [standings[m] for m in members if m != lead_id and m in standings])
            for name, members in groups
        ]
        if any(s.is_behind for _, members in sections for s in members):
            r = recipient_for(lead)
            r.standing = standings[lead_id]
            r.groups, r.link = sections, reverse("rules:compliance")
    if not summary.is_empty:
        persons_by_user = {p.user_id: p for p in people if p.user_id}
        grants = RoleGrant.objects.filter(org=org, role=RoleGrant.Role.OFFICE).select_related(
            "user"
        )
        for grant in grants:
            if not grant.user.is_active:
                continue
            person = persons_by_user.get(grant.user_id)
            r = recipient_for(person, grant.user)
            if person and r.standing is None:
                r.standing = standings.get(person.pk)
            r.summary, r.link = summary, reverse("rules:compliance")
    return sorted(recipients.values(), key=lambda r: r.key), summary


def _led_groups(org: Org, at: date) -> dict[int, list[tuple[str, list[int]]]]:
    """lead person id → [(group name, member person ids of the group and its sub-groups)]."""
    groups = {g.pk: g for g in Group.objects.filter(org=org)}
    children: dict[int, list[int]] = defaultdict(list)
    for g in groups.values():
        if g.parent_id:
            children[g.parent_id].append(g.pk)
    members: dict[int, set[int]] = defaultdict(set)
    leads: dict[int, list[int]] = defaultdict(list)
    rows = Membership.objects.current(at).filter(group__org=org)
    for person_id, group_id, role in rows.values_list("person_id", "group_id", "role"):
        members[group_id].add(person_id)
        if role in Membership.LEAD_ROLES:
            leads[person_id].append(group_id)

    def subtree(gid: int) -> set[int]:
        found, frontier = set(), [gid]
        while frontier:
            g = frontier.pop()
            if g not in found:
                found.add(g)
                frontier.extend(children.get(g, ()))
        return found

    out: dict[int, list[tuple[str, list[int]]]] = {}
    for lead_id, gids in leads.items():
        out[lead_id] = [
            (groups[gid].name, sorted(set().union(*(members[g] for g in subtree(gid)))))
            for gid in sorted(gids)
        ]
    return out


def _who(r: Recipient) -> dict:
    return {"person": r.person, "user": r.user}


def _claim(org: Org, at: date, key: str, via: str, report: OrgReport, **who) -> Digest | None:
    digest = None if key in report.done else claim(org=org, on=at, key=key, via=via, **who)
    if digest is None:
        report.skipped += 1
    return digest


def _send_inapp(org: Org, at: date, r: Recipient, message: D.Message, report: OrgReport) -> None:
    with transaction.atomic():
        digest = _claim(org, at, f"{org.pk}:{r.key}:inapp", "inapp", report, **_who(r))
        if digest is None:
            return
        Notification.objects.create(
            org=org,
            user=r.user,
            person=r.person,
            title=message.title[:200],
            body=message.text,
            link=r.link,
        )
        finish(digest)
    report.sent["inapp"] += 1


def _send_email(org: Org, at: date, r: Recipient, message: D.Message, report: OrgReport) -> None:
    digest = _claim(org, at, f"{org.pk}:{r.key}:email", "email", report, **_who(r))
    if digest is None:
        return
    try:
        EmailMessage(message.title, message.text, to=[r.email]).send()
    except Exception as exc:  # noqa: BLE001 — logged in the Digest, the run goes on
        finish(digest, error_text(exc))
        report.failed["email"] += 1
        return
    finish(digest)
    report.sent["email"] += 1


def _send_channel(
    org: Org, at: date, channel: Channel, message: D.Message, report: OrgReport
) -> None:
    digest = _claim(org, at, f"channel{channel.pk}", channel.kind, report, channel=channel)
    if digest is None:
        return
    try:
        deliver(channel, message)
    except Exception as exc:  # noqa: BLE001 — logged in the Digest, the run goes on
        finish(digest, error_text(exc))
        report.failed[channel.kind] += 1
        return
    finish(digest)
    report.sent[channel.kind] += 1
