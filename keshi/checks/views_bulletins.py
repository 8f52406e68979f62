"""Bulletin pages (简报 / 教科研信息): list, compose, the page, edit items, publish, .docx."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.checks import compose, selectors, services
from keshi.checks.exports import bulletin_docx
from keshi.checks.forms import BulletinForm, ItemForm, add_errors
from keshi.checks.views import managed_org, page_of, tab_context

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _bulletin_or_404(request, pk: int):
    bulletin = selectors.bulletin_for(request.user, pk)
    if bulletin is None:
        raise Http404(_("没有这期简报，或尚未发布。"))
    return bulletin


def _managed_or_403(request, pk: int):
    bulletin = _bulletin_or_404(request, pk)
    if not selectors.may_manage_bulletin(request.user, bulletin):
        raise PermissionDenied(_("只有教科室可以编辑简报。"))
    return bulletin


@login_required
def bulletin_list(request):
    context = tab_context(request, "bulletins")
    context["page"] = page_of(request, selectors.bulletins_for(request.user, q=context["q"]))
    return render(request, "checks/bulletins.html", context)


@login_required
def bulletin_create(request):
    org = managed_org(request)
    today = timezone.localdate()
    activities = compose.activity_pieces(
        request.user, org=org, start=today - timedelta(days=60), end=today
    )
    choices = [(str(p.source_id), p.heading) for p in activities]
    initial = {"number": services.next_number(org), "issue_date": today}
    form = BulletinForm(
        request.POST or None, user=request.user, org=org, activity_choices=choices, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        chosen = set(data["activities"])
        try:
            bulletin = services.create_bulletin(
                org=org,
                by=request.user,
                title=data["title"],
                issue_date=data["issue_date"],
                editor=data["editor"],
                number=data["number"],
                inspections=list(data["inspections"]),
                draws=list(data["draws"]),
                activities=[p for p in activities if str(p.source_id) in chosen],
                news=data["news"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("简报草稿已生成，可以修改各条内容后发布。"))
            return redirect("checks:bulletin", bulletin.pk)
    context = tab_context(request, "bulletins")
    context.update(
        form=form,
        heading=_("编一期简报"),
        intro=_("选择要编入的内容，系统生成草稿；每一条都可以再修改，确认后发布。"),
        back_url=reverse("checks:bulletins"),
        submit_label=_("生成草稿"),
    )
    return render(request, "checks/bulletin_form.html", context)


@login_required
def bulletin_detail(request, pk: int):
    bulletin = _bulletin_or_404(request, pk)
    context = tab_context(request, "bulletins")
    context.update(
        bulletin=bulletin,
        items=list(bulletin.items.all()),
        manages=selectors.may_manage_bulletin(request.user, bulletin),
        masthead=compose.masthead(bulletin),
        appendix=compose.appendix(bulletin),
        appendix_how=compose.APPENDIX_HOW,
    )
    return render(request, "checks/bulletin_detail.html", context)


@login_required
def bulletin_item(request, pk: int, item: int):
    bulletin = _managed_or_403(request, pk)
    obj = bulletin.items.filter(pk=item).first()
    if obj is None:
        raise Http404()
    if request.method == "POST" and request.POST.get("action") == "delete":
        obj.delete()
        messages.success(request, _("已删除该条。"))
        return redirect("checks:bulletin", bulletin.pk)
    form = ItemForm(request.POST or None, initial={"heading": obj.heading, "body": obj.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.update_item(item=obj, **form.cleaned_data)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("checks:bulletin", bulletin.pk)
    context = tab_context(request, "bulletins")
    context.update(
        form=form,
        bulletin=bulletin,
        item=obj,
        heading=_("编辑简报条目"),
        back_url=reverse("checks:bulletin", args=[bulletin.pk]),
    )
    return render(request, "checks/bulletin_item.html", context)


@login_required
@require_POST
def bulletin_publish(request, pk: int):
    bulletin = _managed_or_403(request, pk)
    publish = request.POST.get("publish") == "1"
    try:
        services.set_published(bulletin=bulletin, published=publish)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已发布，全校教师可见。") if publish else _("已撤回为草稿。"))
    return redirect("checks:bulletin", bulletin.pk)


@login_required
def bulletin_export(request, pk: int):
    bulletin = _bulletin_or_404(request, pk)
    response = HttpResponse(bulletin_docx(bulletin), content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{bulletin.title}第{bulletin.number}期.docx"
    )
    return response
