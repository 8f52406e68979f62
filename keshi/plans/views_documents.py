"""Word downloads: the plan as printed, and the term's 工作总结 with the office's own words."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keshi.calendar.closing import frozen_document, summary_key
from keshi.documents.http import download
from keshi.org.scoping import can_manage_org
from keshi.plans import summary as S
from keshi.plans.filters import DocumentFilter
from keshi.plans.models import Plan
from keshi.plans.word import plan_docx, summary_docx
from keshi.web.forms import BootstrapMixin

PAGE_SIZE = 20


class WordsForm(BootstrapMixin, forms.Form):
    achievements = forms.CharField(
        label=gettext_lazy("主要成绩"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    problems = forms.CharField(
        label=gettext_lazy("存在问题"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_term = forms.CharField(
        label=gettext_lazy("下学期打算"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


def _plan(user, pk: int) -> Plan:
    plan = S.document_plans(user).filter(pk=pk).first()
    if plan is None:
        raise Http404(_("没有这个计划，或您无权查看。"))
    return plan


def _at(text: str | None) -> date | None:
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@login_required
def index(request):
    filters = DocumentFilter(
        request.GET, queryset=S.document_plans(request.user).order_by("-created_at", "-pk")
    )
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    for plan in page.object_list:
        plan.can_summarise = S.can_summarise(request.user, plan)
    return render(request, "plans/documents_index.html", {"page": page, "filters": filters})


@login_required
def plan_download(request, pk: int):
    plan = _plan(request.user, pk)
    return download(plan_docx(plan), f"{plan.title}.docx")


@login_required
def summary(request, pk: int):
    plan = _plan(request.user, pk)
    if not S.can_summarise(request.user, plan):
        raise PermissionDenied
    can_edit = can_manage_org(request.user, plan.org)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        form = WordsForm(request.POST)
        if form.is_valid():
            try:
                S.save_summary_words(plan=plan, user=request.user, **form.cleaned_data)
            except ValidationError as e:
                form.add_error(None, e)
            else:
                messages.success(request, _("已保存，生成的工作总结中会出现这些文字。"))
                return redirect("plan_documents:summary", pk=plan.pk)
    else:
        form = WordsForm(initial=S.summary_words(plan))
    at = _at(request.GET.get("at"))
    today = timezone.localdate()
    term = S.summary_term(plan, at or today)
    context = {
        "plan": plan,
        "form": form,
        "can_edit": can_edit,
        "at": at or today,
        "at_error": _("日期格式不对，应为 YYYY-MM-DD，如 2027-01-22。") if at is None else "",
        "term": term,
        "draft": term is not None and (at or today) < term.end,
        "frozen": term is not None and term.is_closed,
    }
    status = 400 if (at is None or (request.method == "POST" and form.errors)) else 200
    return render(request, "plans/documents_summary.html", context, status=status)


@login_required
def summary_download(request, pk: int):
    plan = _plan(request.user, pk)
    if not S.can_summarise(request.user, plan):
        raise PermissionDenied
    at = _at(request.GET.get("at"))
    if at is None:
        messages.error(request, _("日期格式不对，应为 YYYY-MM-DD，如 2027-01-22。"))
        return redirect("plan_documents:summary", pk=plan.pk)
    term = S.summary_term(plan, at)
    if term is None:
        messages.error(request, _("该计划所属学年还没有学期，无法生成工作总结。"))
        return redirect("plan_documents:summary", pk=plan.pk)
    if term.is_closed:
        # A closed term's summary is the copy stored when it was closed, not a new reading.
        stored = frozen_document(term, summary_key(plan.pk))
        if stored is None:
            messages.error(request, _("该学期已关闭，存档中没有这份工作总结。"))
            return redirect("plan_documents:summary", pk=plan.pk)
        return download(bytes(stored.content), stored.name)
    data = S.gather(request.user, org=plan.org, term=term, at=at, plan=plan)
    name = data.title if data.final else f"{data.title}（草稿）"
    return download(summary_docx(data), f"{name}.docx")
