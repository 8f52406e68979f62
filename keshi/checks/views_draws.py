"""Draw pages: list, one draw, the quick pair (subjects' lesson plans + classes' homework),
the draw itself (reveal), redraw with a reason, and the public verification."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.checks import selectors, services
from keshi.checks.forms import DrawForm, PairForm, RedrawForm, _lines, add_errors
from keshi.checks.lottery import canonical
from keshi.checks.views import managed_org, page_of, tab_context
from keshi.checks.views_draw_work import draw_work_context


def _draw_or_404(request, pk: int):
    draw = selectors.draw_for(request.user, pk)
    if draw is None:
        raise Http404(_("没有这次抽签，或您无权查看。"))
    return draw


@login_required
def draw_list(request):
    context = tab_context(request, "draws")
    context["page"] = page_of(request, selectors.draws_for(request.user, q=context["q"]))
    return render(request, "checks/draws.html", context)


@login_required
def draw_create(request):
    org = managed_org(request)
    presets = selectors.population_presets(org)
    form = DrawForm(request.POST or None, user=request.user, org=org, initial={"k": 3})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            draw = services.commit_draw(
                org=org,
                title=data["title"],
                population=form.population_items(),
                k=data["k"],
                by=request.user,
                population_kind=data["population_kind"],
                drawer=data["drawer"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("结果已封存，封条号码已公布，可以抽签了。"))
            return redirect("checks:draw", draw.pk)
    context = tab_context(request, "draws")
    context.update(
        form=form,
        presets=presets,
        preset_labels=[
            ("subjects", _("本校学科")),
            ("teachers", _("本校教师")),
            ("groups", _("教研组")),
        ],
        heading=_("单项抽签"),
        intro=_(
            "保存后系统当场决定结果并封存，公布封条号码；抽签时才公开结果，谁来抽都改变不了它。"
        ),
        back_url=_url("checks:draws"),
    )
    return render(request, "checks/draw_form.html", context)


@login_required
def draw_pair(request):
    org = managed_org(request)
    presets = selectors.population_presets(org)
    initial = {"subjects": "\n".join(presets["subjects"]), "k_subjects": 3, "k_classes": 3}
    form = PairForm(request.POST or None, user=request.user, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            lesson, homework = services.commit_pair(
                org=org,
                grade=data["grade"],
                subjects=_lines(data["subjects"]),
                k_subjects=data["k_subjects"],
                classes=_lines(data["classes"]),
                k_classes=data["k_classes"],
                drawer=data["drawer"],
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("两次抽签的结果已封存，封条号码已公布。"))
            return redirect(f"{_url('checks:draws')}?q={data['grade']}")
    context = tab_context(request, "draws")
    context.update(
        form=form,
        heading=_("年级抽查：学科教案 + 班级作业"),
        intro=_(
            "一次生成两次抽签：从学科中抽教案、从班级中抽作业，各自封存结果、公布封条号码，再由年级主任（或教科室）抽签公开。"
        ),
        back_url=_url("checks:draws"),
    )
    return render(request, "checks/draw_pair.html", context)


def _url(name: str, *args) -> str:
    from django.urls import reverse

    return reverse(name, args=args)


@login_required
def draw_detail(request, pk: int):
    draw = _draw_or_404(request, pk)
    verification = None
    if request.method == "POST" and request.POST.get("action") == "verify":
        verification = selectors.verify_draw(draw)
    context = tab_context(request, "draws")
    context.update(
        draw=draw,
        canonical=canonical(draw.population).decode("utf-8"),
        verification=verification,
        may_draw=selectors.may_draw(request.user, draw),
        may_redraw=selectors.may_redraw(request.user, draw),
        redrawn_as=getattr(draw, "redrawn_as", None) if draw.revealed else None,
        redraw_form=RedrawForm(),
        **draw_work_context(request.user, draw),
    )
    return render(request, "checks/draw_detail.html", context)


@login_required
@require_POST
def draw_reveal(request, pk: int):
    draw = _draw_or_404(request, pk)
    if not selectors.may_draw(request.user, draw):
        raise PermissionDenied(_("只有指定的抽签人或教科室可以抽签。"))
    try:
        services.reveal_draw(draw=draw, by=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("抽签完成，结果已公开，本校任何一位老师都可以验证。"))
    return redirect("checks:draw", draw.pk)


@login_required
def draw_redraw(request, pk: int):
    draw = _draw_or_404(request, pk)
    if not selectors.may_redraw(request.user, draw):
        raise PermissionDenied(_("只有教科室可以对已抽签的结果重抽，且每次结果只能重抽一次。"))
    form = RedrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.redraw(draw=draw, reason=form.cleaned_data["reason"], by=request.user)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("重抽的结果已封存，封条号码已公布；原抽签结果仍保留可查。"))
            return redirect("checks:draw", new.pk)
    context = tab_context(request, "draws")
    context.update(
        form=form,
        draw=draw,
        heading=_("重抽"),
        back_url=_url("checks:draw", draw.pk),
        submit_label=_("封存并公布新的封条号码"),
    )
    return render(request, "checks/draw_redraw.html", context)
