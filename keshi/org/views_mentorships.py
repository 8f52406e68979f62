"""师徒结对 pages: the list (search, filter, pages, Excel), new, edit, end and import.

Reading follows the people pages (office, leaders, district, group leads); changing is for
office staff of the pair's org (keshi.org.mentorships checks it again).
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from keshi.documents.http import XLSX, download
from keshi.org import mentorships, selectors
from keshi.org.forms import MentorshipForm, MentorshipImportForm
from keshi.org.models import Mentorship
from keshi.org.scoping import manageable, scope_for, visible
from keshi.org.views import PAGE_SIZE, _require_browse

STATES = [
    ("current", gettext_lazy("当前")),
    ("ended", gettext_lazy("已结束")),
    ("all", gettext_lazy("全部")),
]


class PairFilter(forms.Form):
    q = forms.CharField(label=gettext_lazy("搜索"), required=False, max_length=50)
    state = forms.ChoiceField(label=gettext_lazy("状态"), choices=STATES, required=False)


def _pairs(request):
    _require_browse(request.user)
    form = PairFilter(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    state = data.get("state") or "current"
    return form, selectors.mentorship_list(request.user, q=data.get("q", ""), state=state)


@login_required
def pair_list(request):
    form, pairs = _pairs(request)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = scope_for(request.user).manages
    filtered = bool(request.GET.get("q")) or request.GET.get("state") not in (None, "", "current")
    return render(
        request,
        "org/mentorships.html",
        {
            "form": form,
            "page": page,
            "can_manage": can_manage,
            "filtered": filtered,
            "today": timezone.localdate(),
        },
    )


@login_required
def pair_export(request):
    _form, pairs = _pairs(request)
    return download(mentorships.export_pairs(pairs), "师徒结对.xlsx", XLSX)


def _save(request, form: MentorshipForm, pair: Mentorship | None):
    if not form.is_valid():
        return None
    data = form.cleaned_data
    try:
        return mentorships.save_pair(user=request.user, pair=pair, **data)
    except ValidationError as e:
        form.add_error(None, e)
        return None


@login_required
def pair_new(request):
    if not scope_for(request.user).manages:
        raise PermissionDenied
    form = MentorshipForm(request.user, request.POST or None)
    if request.method == "POST" and (pair := _save(request, form, None)):
        messages.success(request, _("已添加师徒结对：%(pair)s") % {"pair": pair})
        return redirect("org:mentorships")
    return render(request, "org/mentorship_form.html", {"form": form, "pair": None})


def _managed_pair(request, pk: int) -> Mentorship:
    pair = get_object_or_404(visible(request.user, Mentorship.objects.select_related("org")), pk=pk)
    if not manageable(request.user, Mentorship.objects.filter(pk=pair.pk)).exists():
        raise PermissionDenied
    return pair


@login_required
def pair_edit(request, pk: int):
    pair = _managed_pair(request, pk)
    initial = {f: getattr(pair, f) for f in ("org", "mentor", "mentee", "subject", "start", "end")}
    form = MentorshipForm(request.user, request.POST or None, initial=initial)
    if request.method == "POST" and _save(request, form, pair):
        messages.success(request, _("已保存师徒结对：%(pair)s") % {"pair": pair})
        return redirect("org:mentorships")
    return render(request, "org/mentorship_form.html", {"form": form, "pair": pair})


@login_required
@require_POST
def pair_end(request, pk: int):
    pair = _managed_pair(request, pk)
    try:
        mentorships.end_pair(user=request.user, pair=pair, on=timezone.localdate())
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
    else:
        messages.success(request, _("已结束师徒结对：%(pair)s") % {"pair": pair})
    return redirect("org:mentorships")


@login_required
def pair_import(request):
    if not scope_for(request.user).manages:
        raise PermissionDenied
    form = MentorshipImportForm(request.user, request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            created = mentorships.import_pairs(
                user=request.user,
                org=form.cleaned_data["org"],
                filename=upload.name,
                data=upload.read(),
            )
        except mentorships.PairImportError as e:
            errors = e.errors
        else:
            messages.success(request, _("已导入 %(n)d 对师徒结对。") % {"n": len(created)})
            return redirect("org:mentorships")
    return render(request, "org/mentorship_import.html", {"form": form, "errors": errors})
