"""The observation form's 听课反馈 part: an instrument (评价量表) with one score per item, and
the observer's private notes. Added to :class:`keshi.records.forms.ActivityForm` for kinds with
被听课人; the item inputs are named ``score_<criterion key>`` and drawn by
``records/_instrument.html`` (re-drawn through htmx when another instrument is picked)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from keshi.checks import scoring
from keshi.checks.models import Rubric
from keshi.org.models import Org
from keshi.records.feedback_selectors import feedback_of, instrument_rubrics
from keshi.records.feedback_services import NOTES_MAX, check_scores
from keshi.records.models import Activity

SCORE_PREFIX = "score_"


@dataclass(frozen=True)
class Item:
    criterion: scoring.Criterion
    name: str
    value: str


def add_fields(form: forms.Form, *, org: Org | None, instance: Activity | None, user) -> None:
    """The instrument for everybody who records the observation; the private notes only for
    its observer (a lead or the office editing someone's record neither sees nor changes them)."""
    form.fields["rubric"] = forms.ModelChoiceField(
        instrument_rubrics(org),
        label=gettext_lazy("评价量表"),
        required=False,
        empty_label=gettext_lazy("不用量表，只写评课意见"),
        help_text=gettext_lazy("选择后按量表逐项打分，总分、得分率和等级自动计算。"),
    )
    own = instance is None or instance.person.user_id == getattr(user, "pk", None)
    form.fields["private_notes"] = forms.CharField(
        label=gettext_lazy("仅自己可见的备注"),
        required=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy(
            "只有您自己能看到；被听课教师看不到，评课意见和评分才会反馈给对方。"
        ),
    )
    if not own:
        del form.fields["private_notes"]
    form.instrument_scores = {}
    feedback = feedback_of(instance) if instance is not None else None
    if feedback is not None:
        form.initial.setdefault("rubric", feedback.rubric_id)
        if own:
            form.initial.setdefault("private_notes", feedback.private_notes)
        form.instrument_scores = dict(feedback.scores)


def chosen_rubric(form: forms.Form) -> Rubric | None:
    field = form.fields.get("rubric")
    if field is None:
        return None
    if form.is_bound:
        value = form.data.get("rubric")
        try:
            return field.queryset.filter(pk=int(value)).first() if value else None
        except (TypeError, ValueError):
            return None
    pk = form.initial.get("rubric")
    return field.queryset.filter(pk=pk).first() if pk else None


def items(form: forms.Form) -> list[Item]:
    """The chosen instrument's items with the value to show (posted, else saved)."""
    rubric = chosen_rubric(form)
    if rubric is None:
        return []
    return items_for(rubric, form.data if form.is_bound else None, form.instrument_scores)


def items_for(rubric: Rubric, data=None, saved: dict | None = None) -> list[Item]:
    saved = saved or {}
    rows = []
    for c in rubric.criteria_list():
        name = SCORE_PREFIX + c.key
        value = data.get(name, "") if data is not None else saved.get(c.key, "")
        rows.append(Item(c, name, str(value)))
    return rows


def clean(form: forms.Form) -> None:
    """Check the item scores of the chosen instrument; errors go on ``rubric``."""
    rubric = form.cleaned_data.get("rubric")
    if rubric is None:
        return
    raw = {c.key: form.data.get(SCORE_PREFIX + c.key, "") for c in rubric.criteria_list()}
    try:
        form.instrument_scores = check_scores(rubric, raw)
    except ValidationError as exc:
        for message in exc.message_dict.get("rubric", exc.messages):
            form.add_error("rubric", message)


def values(form: forms.Form) -> dict:
    """Keyword arguments for feedback_services.save_observation_feedback."""
    if "rubric" not in form.fields:
        return {}
    d = form.cleaned_data
    return {
        "rubric": d.get("rubric"),
        "raw_scores": {k: Decimal(v) for k, v in form.instrument_scores.items()},
        "private_notes": (d.get("private_notes") or "") if "private_notes" in form.fields else None,
    }
