"""Open class pages (公开课/示范课/汇报课/研究课): the schedule, one class with who must attend
and who came, and the term's absences per person."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keshi.calendar.selectors import current_term, home_org
from keshi.groupwork import selectors, stats
from keshi.groupwork import services_open as services
from keshi.groupwork.forms import AttendanceForm, OpenClassForm, SearchForm
from keshi.groupwork.models import DEFAULT_ABSENCE_NOTE
from keshi.groupwork.views import qr_context
from keshi.org.scoping import can_read_org, scope_for
from keshi.records.forms import add_errors

PAGE_SIZE = 20


def _class_or_404(user, pk: int):
    oc = selectors.open_classes_for(user).filter(pk=pk).first()
    if oc is None:
        raise Http404(_("没有这节公开课，或您无权查看。"))
    return oc


def _managed_or_403(user, pk: int):
    oc = _class_or_404(user, pk)
    if not selectors.can_manage_open_class(user, oc):
        raise PermissionDenied(_("只有教科室和授课教师所在组的组长可以管理这节课。"))
    return oc


@login_required
@require_GET
def open_class_list(request):
    qs = selectors.open_classes_for(request.user)
    form = SearchForm(request.GET)
    if form.is_valid() and (q := form.cleaned_data["q"].strip()):
        qs = qs.filter(
            Q(topic__icontains=q)
            | Q(teacher__name__icontains=q)
            | Q(subject__icontains=q)
            | Q(kind__icontains=q)
        )
    qs = qs.annotate(n=Count("attendances")).order_by("-date", "-period", "-pk")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    org = home_org(request.user)
    scope = scope_for(request.user)
    absences, term = [], None
    reader = org is not None and (can_read_org(request.user, org) or bool(scope.lead_group_ids))
    if reader and (term := current_term(org)):
        absences = stats.open_class_absences(org, term.start, term.end)
        if not can_read_org(request.user, org):  # a lead: their groups' members only
            led = set(selectors.led_people(request.user).values_list("pk", flat=True))
            absences = [a for a in absences if a.person.pk in led]
    return render(
        request,
        "groupwork/open_class_list.html",
        {
            "page": page,
            "form": form,
            "filtered": bool(request.GET.get("q")),
            "may_manage": selectors.may_plan_open_classes(request.user),
            "absences": absences,
            "term": term,
            "note": DEFAULT_ABSENCE_NOTE,
            "today": timezone.localdate(),
        },
    )


@login_required
def open_class_form(request, pk: int | None = None):
    oc = _managed_or_403(request.user, pk) if pk else None
    org = oc.org if oc else home_org(request.user)
    if org is None or not selectors.may_plan_open_classes(request.user):
        raise PermissionDenied(_("只有教科室和组长可以安排公开课。"))
    form = OpenClassForm(request.POST or None, instance=oc, user=request.user, org=org)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        groups, people = data.pop("required_groups"), data.pop("required_people")
        try:
            oc = services.save_open_class(
                org=org,
                open_class=oc,
                by=request.user,
                required_groups=list(groups),
                required_people=list(people),
                **data,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            return redirect("groupwork:open_class", pk=oc.pk)
    title = _("编辑公开课") if oc else _("安排公开课")
    return render(request, "groupwork/form.html", {"form": form, "title": title, "back": oc})


@login_required
def open_class_detail(request, pk: int):
    oc = _class_or_404(request.user, pk)
    may_manage = selectors.can_manage_open_class(request.user, oc)
    rows = list(oc.attendances.select_related("person", "activity"))
    present = {r.person_id for r in rows}
    required = selectors.required_for(oc)
    ctx = {
        "oc": oc,
        "may_manage": may_manage,
        "attendances": rows,
        "required": required,
        "absent": [p for p in required if p.pk not in present],
        "groups": oc.required_groups.all(),
    }
    if may_manage:
        candidates = selectors.org_people(oc.org).exclude(pk=oc.teacher_id)
        ctx["attendance_form"] = AttendanceForm(
            candidates=candidates, initial={"people": list(present)}
        )
        ctx["required_ids"] = {p.pk for p in required}
        if not oc.is_closed:
            ctx.update(qr_context(request, "open_class", oc))
    return render(request, "groupwork/open_class_detail.html", ctx)


@login_required
@require_POST
def open_class_attendance(request, pk: int):
    oc = _managed_or_403(request.user, pk)
    candidates = selectors.org_people(oc.org).exclude(pk=oc.teacher_id)
    form = AttendanceForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            services.set_open_class_attendance(
                open_class=oc, people=list(form.cleaned_data["people"]), by=request.user
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("听课名单已保存。"))
    else:
        messages.error(request, _("名单中有不能听这节课的人员。"))
    return redirect("groupwork:open_class", pk=pk)


@login_required
@require_POST
def open_class_close(request, pk: int):
    oc = _managed_or_403(request.user, pk)
    try:
        if request.POST.get("reopen"):
            services.reopen_open_class(open_class=oc, by=request.user)
            messages.success(request, _("已重新开启考勤。"))
        else:
            n = services.close_open_class(open_class=oc, by=request.user)
            messages.success(request, _("考勤已结束，生成了 %(n)d 条记录。") % {"n": n})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("groupwork:open_class", pk=pk)
