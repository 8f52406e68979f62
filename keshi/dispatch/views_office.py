"""The four-part notice, the 培训记录表, verification, and the office's reimbursement and
overdue lists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.calendar.selectors import home_org
from keshi.dispatch import documents, notice, selectors, services, states
from keshi.dispatch.forms import VerifyForm
from keshi.dispatch.models import Dispatch, NoticePart
from keshi.dispatch.views import _member_or_404, _refused, dispatch_or_404
from keshi.documents.http import DOCX, XLSX, download
from keshi.org.scoping import can_read_org, scope_for

PAGE_SIZE = 50


def _whole_notice_or_403(user, dispatch: Dispatch) -> None:
    """All four 联 are for the office and readers of the org; a receiver sees their own 联
    on the detail page."""
    if not can_read_org(user, dispatch.org):
        raise PermissionDenied(_("完整的四联通知只有教科室和学校领导可以查看。"))


@login_required
def notice_page(request, pk: int):
    dispatch = dispatch_or_404(request.user, pk)
    if dispatch.state not in states.ACTIVE:
        raise Http404(_("派遣之后才有四联通知。"))
    parts = list(selectors.notice_parts_for(request.user, dispatch))
    if not parts:
        raise PermissionDenied
    return render(
        request,
        "dispatch/notice.html",
        {
            "d": dispatch,
            "rows": documents.notice_rows(dispatch),
            "obligations": sorted({o.label for o in dispatch.obligations.all()}),
            "parts": [(p, notice.code(dispatch, p)) for p in parts],
        },
    )


@login_required
def notice_docx(request, pk: int):
    dispatch = dispatch_or_404(request.user, pk)
    _whole_notice_or_403(request.user, dispatch)
    if dispatch.state not in states.ACTIVE:
        raise Http404(_("派遣之后才有四联通知。"))
    return download(documents.notice_docx(dispatch), f"四联培训通知-{dispatch.serial}.docx", DOCX)


@login_required
@require_POST
def acknowledge(request, pk: int):
    part = get_object_or_404(NoticePart.objects.select_related("dispatch__org"), pk=pk)
    dispatch_or_404(request.user, part.dispatch_id)
    if not selectors.notice_parts_for(request.user, part.dispatch).filter(pk=pk).exists():
        raise Http404
    if not selectors.can_acknowledge(request.user, part):
        raise PermissionDenied(_("这一联不是发给您的，或已经签收。"))
    try:
        services.acknowledge(part=part, by=request.user)
    except states.TransitionRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已签收%s。") % part.get_part_display())
    return redirect("dispatch:detail", pk=part.dispatch_id)


@login_required
def record_docx(request, pk: int):
    member = _member_or_404(request.user, pk)
    name = f"培训记录表-{member.dispatch.serial}-{member.person.name}.docx"
    return download(documents.record_docx(member), name, DOCX)


@login_required
def verify(request):
    form = VerifyForm(request.GET or None)
    result = None
    if form.is_valid():
        serial = notice.parse_serial(form.cleaned_data["serial"])
        dispatch, home = None, home_org(request.user)
        if serial and home is not None:
            dispatch = Dispatch.objects.filter(
                year=serial[0], number=serial[1], org__path__startswith=home.path
            ).first()
        part = notice.verify(dispatch, form.cleaned_data["code"]) if dispatch else None
        result = {"ok": part is not None, "d": dispatch if part else None, "part": part}
    return render(request, "dispatch/verify.html", {"form": form, "result": result})


def _office_org_or_403(user):
    org = home_org(user)
    scope = scope_for(user)
    if org is None or not (scope.is_admin or can_read_org(user, org)):
        raise PermissionDenied(_("只有教科室和学校领导可以查看。"))
    return org


@login_required
def reimbursement(request):
    _office_org_or_403(request.user)
    rows = selectors.reimbursement_rows(selectors.dispatches_for(request.user))
    show = request.GET.get("show", "")
    if show == "cleared":
        rows = [r for r in rows if r.cleared]
    elif show == "blocked":
        rows = [r for r in rows if not r.cleared]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dispatch/reimbursement.html", {"page": page, "show": show})


@login_required
def reimbursement_xlsx(request):
    _office_org_or_403(request.user)
    rows = selectors.reimbursement_rows(selectors.dispatches_for(request.user))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return download(documents.reimbursement_xlsx(rows), f"外出培训报销审核-{stamp}.xlsx", XLSX)


@login_required
def overdue(request):
    org = _office_org_or_403(request.user)
    today = timezone.localdate()
    rows = selectors.overdue(org, today).filter(dispatch__in=selectors.dispatches_for(request.user))
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dispatch/overdue.html", {"page": page, "today": today})
