"""Pages that turn a revealed draw into work (keshi.checks.draw_work): 安排推门听课, 用于检查,
示范课. A draw the user may not read is a 404; using it is the office's (403 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from keshi.checks import draw_work, selectors
from keshi.checks.draw_work_forms import DropInForm, InspectionChoiceForm, OpenClassChoiceForm
from keshi.checks.forms import add_errors
from keshi.checks.models import Draw
from keshi.checks.views import tab_context
from keshi.records.assignment_selectors import for_draw


def _usable_or_403(request, pk: int) -> Draw:
    draw = selectors.draw_for(request.user, pk)
    if draw is None:
        raise Http404(_("没有这次抽签，或您无权查看。"))
    if not selectors.may_assign_work(request.user, draw):
        raise PermissionDenied(_("只有教科室可以据已抽签的结果安排工作。"))
    return draw


def _page(request, draw: Draw, form, heading: str, intro: str, submit: str, **extra):
    context = tab_context(request, "draws")
    context.update(
        **extra,
        form=form,
        draw=draw,
        heading=heading,
        intro=intro,
        submit_label=submit,
        back_url=reverse("checks:draw", args=[draw.pk]),
    )
    return render(request, "checks/draw_work_form.html", context)


@login_required
def draw_observe(request, pk: int):
    draw = _usable_or_403(request, pk)
    form = DropInForm(request.POST or None, user=request.user, draw=draw)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            made = draw_work.assign_drop_in(
                draw=draw,
                observers=list(data["observers"]),
                start=data["start"],
                due=data["due"],
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已安排 %(n)s 项听课任务并通知听课人。") % {"n": len(made)})
            return redirect("checks:draw", draw.pk)
    intro = _("每位听课人在期限内听每位抽中教师的一节课；课表中有该教师的课时，任务写明具体课次。")
    return _page(request, draw, form, _("安排推门听课"), intro, _("安排并通知"))


@login_required
def draw_inspect(request, pk: int):
    draw = _usable_or_403(request, pk)
    form = InspectionChoiceForm(request.POST or None, user=request.user, draw=draw)
    if request.method == "POST" and form.is_valid():
        inspection = form.cleaned_data["inspection"]
        try:
            draw_work.apply_to_inspection(draw=draw, inspection=inspection, by=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("检查范围已按抽签结果设定，已通知检查人。"))
            return redirect("checks:inspection", inspection.pk)
    intro = _(
        "抽中的%(kind)s将加入所选检查（未完成的）的范围，检查与抽签关联，检查人收到通知。"
    ) % {"kind": draw.get_population_kind_display()}
    new = f"{reverse('checks:inspection_new')}?kind=spot&draw={draw.pk}"
    return _page(
        request, draw, form, _("用于检查"), intro, _("设定检查范围"), new_inspection_url=new
    )


@login_required
def draw_open_class(request, pk: int):
    draw = _usable_or_403(request, pk)
    form = OpenClassChoiceForm(request.POST or None, user=request.user, draw=draw)
    if request.method == "POST" and form.is_valid():
        open_class = form.cleaned_data["open_class"]
        try:
            made = draw_work.link_open_class(draw=draw, open_class=open_class, by=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("抽中的教师须参加该公开课，已安排 %(n)s 项听课任务。") % {"n": len(made)}
            )
            return redirect("checks:draw", draw.pk)
    intro = _("抽中的教师成为该公开课的须参加教师，各自收到一项听课任务；结束考勤后任务自动完成。")
    return _page(request, draw, form, _("示范课：安排听课"), intro, _("关联并安排"))


def draw_work_context(user, draw: Draw) -> dict:
    """For the draw page: what may be done with it and the tasks it made."""
    return {
        "may_use": selectors.may_assign_work(user, draw),
        "teacher_draw": draw.population_kind in draw_work.TEACHER_DRAWS,
        "tasks": for_draw(user, draw),
        "inspections_of_draw": selectors.inspections_for(user).filter(draw=draw),
    }
