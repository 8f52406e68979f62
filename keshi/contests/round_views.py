"""学科竞赛 pages: open a round, enter scores, close it (office); the closed round's results are
readable by the contest's org. Editing a contest lives here too (office only)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.contests import rounds, selectors, services
from keshi.contests.forms import ContestEditForm, RoundForm, parse_round_scores
from keshi.contests.models import Contest, Round
from keshi.org.scoping import visible


def _managed(request, pk: int) -> Contest:
    contest = get_object_or_404(selectors.contests_for(request.user), pk=pk)
    if not selectors.may_manage(request.user, contest):
        raise PermissionDenied(_("只有本单位教科室可以管理此评比。"))
    return contest


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _form_errors(form, exc: ValidationError) -> None:
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for field, errs in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errs)


@login_required
def edit(request, pk: int):
    contest = _managed(request, pk)
    form = ContestEditForm(request.POST or None, instance=contest, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ContestEditForm.Meta.fields}
        try:
            services.update_contest(contest=Contest.objects.get(pk=pk), by=request.user, **fields)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("评比已保存。"))
            return redirect("contests:detail", pk)
    return render(
        request,
        "contests/form.html",
        {"form": form, "heading": _("编辑评比"), "frozen": contest.rubric_frozen},
    )


@login_required
def round_new(request, pk: int):
    contest = _managed(request, pk)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            round_ = rounds.open_round(contest=contest, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("“%s”已开始，请录入成绩。") % round_.name)
            return redirect("contests:round", round_.pk)
    return render(request, "contests/form.html", {"form": form, "heading": _("开始新一轮")})


def _round(request, pk: int) -> tuple[Round, bool]:
    round_ = get_object_or_404(
        visible(request.user, Round.objects.select_related("contest__org", "contest__rubric")),
        pk=pk,
    )
    manage = selectors.may_manage(request.user, round_.contest)
    if not (manage or round_.closed):
        raise Http404
    return round_, manage


@login_required
def round_detail(request, pk: int):
    round_, manage = _round(request, pk)
    rows = list(round_.scores.select_related("entry__person", "entry__group"))
    if not manage:
        rows = [r for r in rows if r.advanced] if round_.contest.phase != "result" else rows
    return render(
        request,
        "contests/round.html",
        {
            "round": round_,
            "contest": round_.contest,
            "rows": rows,
            "manage": manage,
            "editable": manage
            and not round_.closed
            and round_.contest.phase == Contest.Phase.REVIEW,
        },
    )


@login_required
@require_POST
def round_scores(request, pk: int):
    round_, manage = _round(request, pk)
    if not manage:
        raise PermissionDenied
    rows = list(round_.scores.select_related("entry"))
    scores, problems = parse_round_scores(
        request.POST, [r.entry_id for r in rows], {r.entry_id: r.entry.code for r in rows}
    )
    if problems:
        for p in problems:
            messages.error(request, p)
        return redirect("contests:round", round_.pk)
    try:
        n = rounds.save_round_scores(round_=round_, by=request.user, scores=scores)
        messages.success(request, _("已保存 %d 条成绩。") % n)
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("contests:round", round_.pk)


@login_required
@require_POST
def round_close(request, pk: int):
    round_, manage = _round(request, pk)
    if not manage:
        raise PermissionDenied
    try:
        going = rounds.close_round(round_=round_, by=request.user)
        messages.success(
            request, _("“%(name)s”已结束，%(n)d 人晋级。") % {"name": round_.name, "n": len(going)}
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("contests:round", round_.pk)
