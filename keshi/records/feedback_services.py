"""Writes for 听课反馈: the observer's instrument scores and private notes, the observed
teacher's 已阅 and 回复, and the notifications between the two.

Rules:

* the observer saves the record (``keshi.records.services``) and then its feedback here, in one
  transaction; the observed teacher is notified when the observation is new to them or its
  feedback (评课意见, instrument, scores) changed — not for edits of the rest of the record;
* a change of the feedback clears 已阅: what was acknowledged is no longer what is shown (the
  history keeps the old state); naming another observed teacher clears 已阅 and the 回复 too;
* only the observed teacher acknowledges and replies; a reply acknowledges and notifies the
  observer.

Notifications go to the in-app inbox and, when the org's reminder settings send e-mail and the
person's login has an address, by e-mail (the person's own channel in keshi.notify).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.accounts.language import language_of, speaking
from keshi.checks import scoring
from keshi.checks.models import Rubric
from keshi.notify import personal
from keshi.notify.models import Notification
from keshi.notify.selectors import policy
from keshi.notify.services import absolute_link
from keshi.org.models import Person
from keshi.org.scoping import scope_for
from keshi.records.feedback_selectors import feedback_of, instrument_rubrics
from keshi.records.models import Activity, Feedback

log = logging.getLogger(__name__)
# A notification's text, or a function making it in the recipient's language (``notify``).
Text = str | Callable[[], str]
REPLY_MAX = 2000
NOTES_MAX = 5000


@dataclass(frozen=True)
class Snapshot:
    """What the observed teacher is shown, to tell whether it changed."""

    observed_id: int | None
    comments: str
    rubric_id: int | None
    scores: tuple

    @classmethod
    def of(cls, activity: Activity) -> Snapshot:
        fb = feedback_of(activity) if activity.pk else None
        return cls(
            observed_id=activity.observed_id,
            comments=str(activity.data.get("comments") or ""),
            rubric_id=fb.rubric_id if fb else None,
            scores=tuple(sorted((fb.scores or {}).items())) if fb else (),
        )


def frozen(rubric: Rubric) -> dict:
    return {"name": rubric.name, "criteria": rubric.criteria, "levels": rubric.levels}


def check_scores(rubric: Rubric, raw: Mapping[str, object]) -> dict[str, str]:
    """Every item of the rubric scored within 0..max; ValidationError on ``rubric`` otherwise."""
    try:
        cleaned = scoring.clean_scores(rubric.criteria_list(), raw)
    except scoring.ScoringError as exc:
        raise ValidationError({"rubric": str(exc)}) from None
    return {k: str(v.normalize()) for k, v in cleaned.items()}


@transaction.atomic
def save_observation_feedback(
    *,
    activity: Activity,
    by,
    rubric: Rubric | None = None,
    raw_scores: Mapping[str, object] | None = None,
    private_notes: str | None = "",
    before: Snapshot | None = None,
) -> Feedback | None:
    """Store the observer's side of an observation's feedback and tell the observed teacher.

    ``before`` is :meth:`Snapshot.of` the record before an edit (None for a new record);
    ``private_notes`` None keeps the notes as they are (someone else edits the record)."""
    if activity.observed_id is None or not activity.kind.has_observed:
        return None
    feedback = feedback_of(activity)
    if private_notes is None:
        private_notes = feedback.private_notes if feedback else ""
    private_notes = private_notes.strip()
    if len(private_notes) > NOTES_MAX:
        raise ValidationError({"private_notes": _("备注不能超过 %(n)s 字。") % {"n": NOTES_MAX}})
    if rubric is not None and not instrument_rubrics(activity.org).filter(pk=rubric.pk).exists():
        raise ValidationError({"rubric": _("该评价量表不能用于本单位的听课。")})
    if feedback is None and rubric is None and not private_notes:
        _tell_observed(activity, before)
        return None
    feedback = feedback or Feedback(activity=activity)
    if rubric is None:
        feedback.rubric, feedback.rubric_data, feedback.scores = None, {}, {}
        feedback.total = feedback.max_total = feedback.percent = None
        feedback.level = ""
    else:
        scores = check_scores(rubric, raw_scores or {})
        result = scoring.score(
            rubric.criteria_list(),
            {k: Decimal(v) for k, v in scores.items()},
            rubric.levels_list(),
        )
        feedback.rubric, feedback.rubric_data, feedback.scores = rubric, frozen(rubric), scores
        feedback.total, feedback.max_total = result.total, result.max_total
        feedback.percent, feedback.level = result.percent, result.level
    feedback.private_notes = private_notes
    after = Snapshot(
        activity.observed_id,
        str(activity.data.get("comments") or ""),
        feedback.rubric_id,
        tuple(sorted(feedback.scores.items())),
    )
    if before is not None and before.observed_id != after.observed_id:
        feedback.acknowledged_at = feedback.replied_at = None
        feedback.reply = ""
    elif before is not None and before != after:
        feedback.acknowledged_at = None
    feedback.save()
    _tell_observed(activity, before, after)
    return feedback


def _tell_observed(activity: Activity, before: Snapshot | None, after: Snapshot | None = None):
    after = after or Snapshot.of(activity)
    if before is not None and before == after:
        return
    if before is not None and before.observed_id != after.observed_id:
        before = None  # new to the teacher now named
    what = activity.data.get("topic") or activity.title or activity.kind.label
    values = {"who": activity.person.name, "what": what, "date": activity.date.isoformat()}

    def title() -> str:
        if before is None:
            return _("%(who)s 听了您的课《%(what)s》（%(date)s），请查看听课反馈") % values
        return _("%(who)s 修改了对您的课《%(what)s》（%(date)s）的听课反馈") % values

    notify(
        activity.observed,
        title,
        str(activity.data.get("comments") or ""),
        reverse("records:feedback_detail", args=[activity.pk]),
    )


def _observed_only(activity: Activity, by) -> None:
    if activity.observed_id is None or scope_for(by).person_id != activity.observed_id:
        raise PermissionDenied(_("只有被听课教师本人可以标记已阅或回复。"))


@transaction.atomic
def acknowledge(*, activity: Activity, by) -> Feedback:
    """已阅: the observed teacher has read the feedback. The first time is kept."""
    _observed_only(activity, by)
    feedback, _created = Feedback.objects.get_or_create(activity=activity)
    if feedback.acknowledged_at is None:
        feedback.acknowledged_at = timezone.now()
        feedback.save(update_fields=["acknowledged_at", "updated_at"])
    return feedback


@transaction.atomic
def reply(*, activity: Activity, by, text: str) -> Feedback:
    """The observed teacher's 回复 (replaces an earlier one; the history keeps it). Replying
    acknowledges, and the observer is notified."""
    _observed_only(activity, by)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"reply": _("请填写回复内容。")})
    if len(text) > REPLY_MAX:
        raise ValidationError({"reply": _("回复不能超过 %(n)s 字。") % {"n": REPLY_MAX}})
    feedback, _created = Feedback.objects.get_or_create(activity=activity)
    now = timezone.now()
    feedback.reply, feedback.replied_at = text, now
    feedback.acknowledged_at = feedback.acknowledged_at or now
    feedback.save()
    what = activity.data.get("topic") or activity.title or activity.kind.label
    notify(
        activity.person,
        lambda: (
            _("%(who)s 回复了您的听课反馈《%(what)s》")
            % {"who": activity.observed.name, "what": what}
        ),
        text,
        reverse("records:detail", args=[activity.pk]),
    )
    return feedback


def notify(person: Person, title: Text, body: Text = "", link: str = "") -> Notification:
    """In-app; by e-mail when the org sends e-mail and the person's login has an address; and
    as a work notification when the person's DingTalk/WeCom account takes notices.

    ``title`` and ``body`` may be functions making the text: they are called in the language
    the person chose and in their org's words (``keshi.accounts.language.speaking``)."""
    with speaking(language_of(person.user_id), person.org):
        title, body = (t() if callable(t) else t for t in (title, body))
    notification = Notification.objects.create(
        org_id=person.org_id,
        user_id=person.user_id,
        person=person,
        title=title[:200],
        body=body,
        link=link,
    )
    email = getattr(person.user, "email", "") if person.user_id else ""
    if email and policy(person.org).send_email:
        transaction.on_commit(lambda: _send_email(email, title, body, link))
    personal.send_later(notification)  # a DingTalk/WeCom work notification, where linked
    return notification


def _send_email(address: str, title: str, body: str, link: str) -> None:
    text = "\n\n".join(part for part in (body, absolute_link(link)) if part)
    try:
        EmailMessage(title[:200], text, to=[address]).send()
    except Exception:  # noqa: BLE001 — the in-app notification is there; mail is best effort
        log.warning("feedback e-mail to %s failed", address, exc_info=True)
