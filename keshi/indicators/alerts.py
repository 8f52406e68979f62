"""预警: an indicator missed two periods in a row.

For each active indicator, the latest period judged by ``at`` (ended, with figures) is looked
at; when it and the period before were both missed, an :class:`Alert` is raised — once per
indicator and period (a unique row), so a rerun raises nothing new. A raised alert goes to the
department's lead and the org's office staff as in-app notifications, and to the org's active
channels through ``keshi.notify.services.deliver``; each channel delivery is logged in notify's
``Digest`` under ``ind-alert<pk>:ch<pk>``, so a failed post is retried by the next run and a
sent one is never repeated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.urls import reverse

from keshi.accounts.models import RoleGrant
from keshi.indicators import measure
from keshi.indicators.models import Alert, Indicator
from keshi.indicators.selectors import entries_for
from keshi.notify import services as notify
from keshi.notify.digest import Message
from keshi.notify.models import Channel, Notification
from keshi.notify.webhooks import escape_markdown, markdown_url
from keshi.org.models import Membership, Org


@dataclass
class AlertRun:
    raised: list[Alert] = field(default_factory=list)
    notified: int = 0
    posted: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "raised": [
                f"{a.indicator.group.name}·{a.indicator.name}·{a.period}" for a in self.raised
            ],
            "notified": self.notified,
            "posted": self.posted,
            "failed": self.failed,
        }


def _judged(indicator: Indicator, entries: dict, at: date) -> list[measure.Judged]:
    judged = []
    for year in (at.year - 1, at.year):
        d = indicator.definition(year)
        periods = measure.periods_of_year(indicator.period, year)
        judged += [measure.evaluate(d, p, entries, at) for p in periods if p.end < at]
    return [j for j in judged if j.status in (measure.Status.MET, measure.Status.MISSED)]


def due_alerts(
    indicators: list[Indicator], at: date
) -> list[tuple[Indicator, measure.Judged, measure.Judged]]:
    """(indicator, previous, latest) for each indicator whose two latest judged periods, one
    right after the other, were both missed."""
    entries = entries_for(indicators, (at.year - 2, at.year - 1, at.year))
    prefetch_related_objects(indicators, "year_targets")
    found = []
    for ind in indicators:
        judged = _judged(ind, entries.get(ind.pk, {}), at)
        if len(judged) < 2:
            continue
        before, latest = judged[-2], judged[-1]
        consecutive = latest.period.previous() == before.period
        if consecutive and measure.consecutive_misses([before, latest]):
            found.append((ind, before, latest))
    return found


def _message(ind: Indicator, before: measure.Judged, latest: measure.Judged) -> Message:
    def write(esc) -> tuple[str, list[str]]:
        """Title and lines, each value through ``esc`` (escape_markdown for the robots)."""
        unit = esc(ind.display_unit)
        title = f"指标预警：{esc(ind.group.name)}“{esc(ind.name)}”连续两期未达标"

        def line(j: measure.Judged) -> str:
            symbol = measure.SYMBOLS[ind.target_of(j.period.year).comparator]
            return (
                f"{esc(j.period.label)}：实际 {esc(measure.fmt(j.actual))}{unit}，目标 "
                f"{esc(symbol)} {esc(measure.fmt(j.target))}{unit}"
            )

        lines = [line(j) for j in (before, latest)]
        return title, lines

    title, lines = write(str)
    text = f"{title}。\n" + "\n".join(lines)
    link = notify.absolute_link(reverse("indicators:detail", args=[ind.pk]))
    md_title, md_lines = write(escape_markdown)
    markdown = f"### {md_title}\n\n" + "\n".join(f"- {line}" for line in md_lines)
    if link:
        markdown += f"\n\n[查看指标]({markdown_url(link)})"
    return Message(title, text, markdown)


def _recipients(ind: Indicator) -> list[tuple]:
    """(user, person) pairs: the department's leads with a login, then the org's office."""
    found, seen = [], set()
    leads = (
        Membership.objects.current()
        .filter(group=ind.group, role=Membership.Role.LEAD, person__user__isnull=False)
        .select_related("person__user")
    )
    for m in leads:
        if m.person.user_id not in seen:
            seen.add(m.person.user_id)
            found.append((m.person.user, m.person))
    office = get_user_model().objects.filter(
        grants__org=ind.org, grants__role=RoleGrant.Role.OFFICE, is_active=True
    )
    for user in office.order_by("pk"):
        if user.pk not in seen:
            seen.add(user.pk)
            found.append((user, getattr(user, "person", None)))
    return found


def send_alerts(*, at: date, org: Org | None = None) -> AlertRun:
    run = AlertRun()
    indicators = Indicator.objects.filter(active=True).select_related("group", "org")
    if org is not None:
        indicators = indicators.filter(org__path__startswith=org.path)
    for ind, before, latest in due_alerts(list(indicators), at):
        message = _message(ind, before, latest)
        with transaction.atomic():
            alert, created = Alert.objects.get_or_create(
                indicator=ind,
                period=latest.period.key,
                defaults={"raised_on": at, "text": message.text},
            )
            if created:
                run.raised.append(alert)
                link = reverse("indicators:detail", args=[ind.pk])
                for user, person in _recipients(ind):
                    Notification.objects.create(
                        org=ind.org, user=user, person=person, title=message.title,
                        body=message.text, link=link,
                    )  # fmt: skip
                    run.notified += 1
        _post(run, alert, message)
    return run


def _post(run: AlertRun, alert: Alert, message: Message) -> None:
    org = alert.indicator.org
    for channel in Channel.objects.filter(org=org, active=True).order_by("pk"):
        digest = notify.claim(
            org=org,
            on=alert.raised_on,
            key=f"ind-alert{alert.pk}:ch{channel.pk}",
            via=channel.kind,
            channel=channel,
        )
        if digest is None:
            continue
        try:
            notify.deliver(channel, message)
        except Exception as exc:  # noqa: BLE001 — logged on the digest, retried next run
            notify.finish(digest, notify.error_text(exc))
            run.failed.append(f"{channel.name}: {notify.error_text(exc)}")
        else:
            notify.finish(digest)
            run.posted += 1
