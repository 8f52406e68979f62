"""Pages: the flags dashboard, one flag's evidence, the reference corpus and settings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keshi.org.scoping import manageable
from keshi.originality import selectors, services
from keshi.originality.forms import CorpusForm, ResolveForm, SettingsForm
from keshi.originality.models import CorpusText, Flag
from keshi.originality.search import settings_for


@login_required
@require_GET
def index(request):
    status = request.GET.get("status", "")
    if status not in Flag.Status.values:
        status = ""
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.flags(request.user, status=status, q=q), 20).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "status": status,
        "q": q,
        "statuses": Flag.Status.choices,
        "counts": selectors.status_counts(request.user),
        "may_manage": selectors.manageable_orgs(request.user).exists(),
    }
    return render(request, "originality/index.html", context)


def _flag_or_404(user, pk: int) -> Flag:
    flag = selectors.flag_for(user, pk)
    if flag is None:
        raise Http404(_("没有这条查重标记，或您无权查看。"))
    return flag


@login_required
@require_GET
def flag_detail(request, pk: int):
    flag = _flag_or_404(request.user, pk)
    show = selectors.may_see_passages(request.user, flag)
    context = {
        "flag": flag,
        "activity": flag.activity,
        "show_passages": show,
        "evidence": selectors.evidence(request.user, flag) if show else [],
        "may_resolve": selectors.may_resolve(request.user, flag),
        "form": ResolveForm(initial={"status": Flag.Status.ACCEPTED}),
        "threshold": settings_for(flag.activity.org).threshold,
    }
    return render(request, "originality/flag.html", context)


@login_required
@require_POST
def resolve(request, pk: int):
    flag = _flag_or_404(request.user, pk)
    if not selectors.may_resolve(request.user, flag):
        raise PermissionDenied(_("您不能处理这条查重标记。"))
    form = ResolveForm(request.POST)
    if form.is_valid():
        services.resolve_flag(
            flag=flag,
            by=request.user,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(request, _("已记录处理结果：%(s)s") % {"s": flag.get_status_display()})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("originality:flag", pk=flag.pk)


def _orgs_or_403(user):
    orgs = selectors.manageable_orgs(user)
    if not orgs.exists():
        raise PermissionDenied(_("只有教科室可以管理范文库和查重设置。"))
    return orgs


@login_required
@require_http_methods(["GET", "POST"])
def corpus(request):
    orgs = _orgs_or_403(request.user)
    form = CorpusForm(request.POST or None, request.FILES or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        added, failed = 0, []
        for upload in form.cleaned_data["files"]:
            try:
                services.add_corpus_file(
                    org=form.cleaned_data["org"],
                    name=upload.name,
                    data=upload.read(),
                    by=request.user,
                )
                added += 1
            except ValidationError as exc:
                failed.extend(exc.messages)
        if added:
            messages.success(request, _("已加入范文库：%(n)d 个文件") % {"n": added})
        for error in failed:
            messages.error(request, error)
        return redirect("originality:corpus")
    q = request.GET.get("q", "").strip()
    page = Paginator(selectors.corpus_texts(request.user, q=q), 20).get_page(
        request.GET.get("page")
    )
    first = orgs.first()
    current = settings_for(first)
    settings_form = SettingsForm(
        orgs=orgs,
        initial={
            "org": first,
            "threshold": round(current.threshold * 100),
            "district_wide": current.district_wide,
        },
    )
    context = {"form": form, "page": page, "q": q, "settings_form": settings_form}
    return render(request, "originality/corpus.html", context)


@login_required
@require_POST
def corpus_delete(request, pk: int):
    found = manageable(request.user, CorpusText.objects.filter(pk=pk)).first()
    if found is None:
        raise Http404
    services.delete_corpus_text(corpus=found)
    messages.success(request, _("已从范文库删除：%(name)s") % {"name": found.name})
    return redirect("originality:corpus")


@login_required
@require_POST
def save_settings(request):
    orgs = _orgs_or_403(request.user)
    form = SettingsForm(request.POST, orgs=orgs)
    if form.is_valid():
        services.save_settings(
            org=form.cleaned_data["org"],
            threshold=form.cleaned_data["threshold"] / 100,
            district_wide=form.cleaned_data["district_wide"],
        )
        messages.success(request, _("查重设置已保存。"))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("originality:corpus")
