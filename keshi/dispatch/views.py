"""Dispatch pages for teachers and the office. A dispatch the user may not read is a 404; one
they may read but not change is a 403. Writes go through keshi.dispatch.services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.calendar.selectors import home_org
from keshi.dispatch import selectors, services, states
from keshi.dispatch.filters import DispatchFilter
from keshi.dispatch.forms import (
    CommentForm,
    ConfirmForm,
    DispatchForm,
    LinkActivityForm,
    ObligationForm,
    UploadForm,
)
from keshi.dispatch.models import Dispatch, DispatchTeacher, Obligation
from keshi.org.models import Person
from keshi.org.scoping import can_manage_org, scope_for, visible

PAGE_SIZE = 20


def dispatch_or_404(user, pk: int) -> Dispatch:
    dispatch = selectors.dispatch_for(user, pk)
    if dispatch is None:
        raise Http404(_("没有这次派遣，或您无权查看。"))
    return dispatch


def _manage_or_403(user, dispatch: Dispatch) -> None:
    if not selectors.can_manage(user, dispatch):
        raise PermissionDenied(_("只有教科室可以办理派遣。"))


def _refused(request, exc: Exception) -> None:
    text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


def cover_link(dispatch: Dispatch) -> str:
    try:
        return reverse("cover:absences") + f"?reference={services.reference(dispatch)}"
    except NoReverseMatch:
        return reverse("cover:index")


@login_required
def index(request):
    filters = DispatchFilter(request.GET, queryset=selectors.dispatches_for(request.user))
    rows = filters.qs.distinct().prefetch_related("members__person")
    page = Paginator(rows.order_by("-start_date", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    scope = scope_for(request.user)
    org = home_org(request.user)
    person = Person.objects.filter(pk=scope.person_id).first() if scope.person_id else None
    return render(
        request,
        "dispatch/index.html",
        {
            "filters": filters,
            "page": page,
            "may_create": org is not None and can_manage_org(request.user, org),
            "may_request": person is not None,
            "may_read_org": org is not None and bool(scope.read_paths or scope.is_admin),
            "hours": selectors.year_hours(person, timezone.localdate()) if person else None,
        },
    )


@login_required
def detail(request, pk: int):
    dispatch = dispatch_or_404(request.user, pk)
    manager = selectors.can_manage(request.user, dispatch)
    me = selectors.member(request.user, dispatch)
    own_request = me is not None and dispatch.requested_by_id == me.person_id
    obligations = selectors.obligations_for(request.user, dispatch)
    parts = selectors.notice_parts_for(request.user, dispatch)
    members = visible(request.user, dispatch.members.select_related("person", "training_record"))
    state = dispatch.state
    return render(
        request,
        "dispatch/detail.html",
        {
            "d": dispatch,
            "manager": manager,
            "me": me,
            "members": members,
            "obligations": obligations,
            "parts": [(p, selectors.can_acknowledge(request.user, p)) for p in parts],
            "transitions": dispatch.transitions.select_related("by"),
            "facts": services.facts(dispatch),
            "today": timezone.localdate(),
            "comment_form": CommentForm(),
            "may_edit": (manager and state in (states.REQUESTED, states.DISPATCHED))
            or (own_request and state in (states.REQUESTED, states.RETURNED_FOR_CHANGES)),
            "may_approve": manager and state == states.REQUESTED,
            "may_resubmit": own_request and state == states.RETURNED_FOR_CHANGES,
            "may_cancel": (manager and state in (states.REQUESTED, states.DISPATCHED))
            or (own_request and state in (states.REQUESTED, states.RETURNED_FOR_CHANGES)),
            "may_reimburse": manager and state == states.REIMBURSABLE,
            "office_active": manager and state in (states.DISPATCHED, states.BACK, states.REPORTED),
            "started": timezone.localdate() >= dispatch.start_date,
            "may_return_self": me is not None and state in states.ACTIVE and not me.returned_at,
            "cover_url": cover_link(dispatch) if state in states.ACTIVE else "",
        },
    )


@login_required
def create(request):
    """The office dispatches teachers directly (已派遣 at once)."""
    org = home_org(request.user)
    if org is None or not can_manage_org(request.user, org):
        raise PermissionDenied(_("只有教科室可以直接派遣；教师请提交培训申请。"))
    form = DispatchForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            dispatch = services.create_dispatch(
                org=org,
                by=request.user,
                teachers=list(form.cleaned_data["teachers"]),
                direct=True,
                **form.dispatch_fields(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("已派遣，四联通知已生成。"))
            return redirect("dispatch:detail", pk=dispatch.pk)
    return render(request, "dispatch/form.html", {"form": form, "title": _("派遣教师外出培训")})


@login_required
def request_create(request):
    """A teacher asks to go (申请); the office approves or returns it."""
    scope = scope_for(request.user)
    person = Person.objects.filter(pk=scope.person_id).select_related("org").first()
    if person is None:
        raise PermissionDenied(_("只有教师本人可以申请外出培训。"))
    form = DispatchForm(request.POST or None, org=person.org, teacher=person)
    if request.method == "POST" and form.is_valid():
        try:
            dispatch = services.create_dispatch(
                org=person.org,
                by=request.user,
                teachers=[person],
                direct=False,
                requested_by=person,
                **form.dispatch_fields(),
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, _("申请已提交，等待教科室审批。"))
            return redirect("dispatch:detail", pk=dispatch.pk)
    return render(request, "dispatch/form.html", {"form": form, "title": _("申请外出培训")})


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def edit(request, pk: int):
    dispatch = dispatch_or_404(request.user, pk)
    manager = selectors.can_manage(request.user, dispatch)
    me = selectors.member(request.user, dispatch)
    own = me is not None and dispatch.requested_by_id == me.person_id
    if manager and dispatch.state in (states.REQUESTED, states.DISPATCHED):
        teacher = None
    elif own and dispatch.state in (states.REQUESTED, states.RETURNED_FOR_CHANGES):
        teacher = me.person
    else:
        raise PermissionDenied(_("这次派遣现在不能由您修改。"))
    form = DispatchForm(request.POST or None, instance=dispatch, org=dispatch.org, teacher=teacher)
    if request.method == "POST" and form.is_valid():
        teachers = [teacher] if teacher else list(form.cleaned_data["teachers"])
        try:
            services.update_dispatch(
                dispatch=Dispatch.objects.get(pk=dispatch.pk),
                by=request.user,
                teachers=teachers,
                **form.dispatch_fields(),
            )
        except (ValidationError, states.TransitionRefused) as exc:
            if isinstance(exc, ValidationError):
                _form_errors(form, exc)
            else:
                form.add_error(None, str(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("dispatch:detail", pk=dispatch.pk)
    return render(
        request, "dispatch/form.html", {"form": form, "title": _("修改派遣"), "d": dispatch}
    )


OFFICE_TARGETS = {states.DISPATCHED, states.RETURNED_FOR_CHANGES, states.REIMBURSED}


@login_required
@require_POST
def transition(request, pk: int):
    dispatch = dispatch_or_404(request.user, pk)
    target = request.POST.get("target", "")
    manager = selectors.can_manage(request.user, dispatch)
    me = selectors.member(request.user, dispatch)
    own = me is not None and dispatch.requested_by_id == me.person_id
    if target not in states.LABELS:
        raise Http404
    allowed = manager and target != states.REQUESTED
    if own and dispatch.state in (states.REQUESTED, states.RETURNED_FOR_CHANGES):
        allowed = allowed or target in (states.REQUESTED, states.CANCELLED)
    if not allowed:
        raise PermissionDenied(_("您不能办理这一步。"))
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        services.transition(dispatch=dispatch, target=target, by=request.user, comment=comment)
    except (states.TransitionRefused, ValidationError) as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已改为“%s”。") % states.LABELS[target])
    return redirect("dispatch:detail", pk=dispatch.pk)


def _member_or_404(user, pk: int) -> DispatchTeacher:
    member = get_object_or_404(DispatchTeacher.objects.select_related("dispatch", "person"), pk=pk)
    dispatch_or_404(user, member.dispatch_id)
    if not visible(user, DispatchTeacher.objects.filter(pk=pk)).exists():
        raise Http404
    return member


@login_required
@require_POST
def mark_returned(request, pk: int):
    member = _member_or_404(request.user, pk)
    own = scope_for(request.user).person_id == member.person_id
    if not (own or selectors.can_manage(request.user, member.dispatch)):
        raise PermissionDenied
    try:
        services.mark_returned(member=member, by=request.user)
    except states.TransitionRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已登记返校，请按时完成后续任务。"))
    return redirect("dispatch:detail", pk=member.dispatch_id)


@login_required
@require_POST
def confirm_attendance(request, pk: int):
    member = _member_or_404(request.user, pk)
    _manage_or_403(request.user, member.dispatch)
    try:
        services.confirm_attendance(member=member, by=request.user)
    except states.TransitionRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已确认出勤，培训学时已登记。"))
    return redirect("dispatch:detail", pk=member.dispatch_id)


def _obligation_or_404(user, pk: int) -> Obligation:
    ob = visible(user, Obligation.objects.select_related("dispatch", "person", "activity"))
    return get_object_or_404(ob, pk=pk)


@login_required
def obligation_edit(request, pk: int):
    """Meet an obligation: link a record, upload a file, or (office) confirm it."""
    ob = _obligation_or_404(request.user, pk)
    own = scope_for(request.user).person_id == ob.person_id
    manager = selectors.can_manage(request.user, ob.dispatch)
    if not (own or manager):
        raise PermissionDenied(_("只有教师本人或教科室可以登记完成情况。"))
    which = request.POST.get("how") if request.method == "POST" else None
    link = LinkActivityForm(request.POST if which == "link" else None, obligation=ob)
    upload = UploadForm(
        request.POST if which == "upload" else None,
        request.FILES if which == "upload" else None,
    )
    confirm = ConfirmForm(request.POST if which == "confirm" else None)
    try:
        if which == "link" and link.is_valid():
            services.meet_with_activity(
                obligation=ob, activity=link.cleaned_data["activity"], by=request.user
            )
        elif which == "upload" and upload.is_valid():
            name, content = upload.cleaned_data["file"]
            services.meet_with_file(obligation=ob, name=name, content=content, by=request.user)
        elif which == "confirm" and manager and confirm.is_valid():
            services.confirm_obligation(
                obligation=ob, by=request.user, note=confirm.cleaned_data["note"]
            )
        else:
            which = None
    except states.TransitionRefused as exc:
        _refused(request, exc)
        which = None
    if which:
        messages.success(request, _("“%s”已完成。") % ob.label)
        return redirect("dispatch:detail", pk=ob.dispatch_id)
    return render(
        request,
        "dispatch/obligation.html",
        {
            "ob": ob,
            "link": link,
            "upload": upload,
            "confirm": confirm if manager else None,
            "record_url": selectors.record_url(ob) if own else "",
        },
    )


@login_required
def obligation_file(request, pk: int):
    ob = _obligation_or_404(request.user, pk)
    if not ob.file:
        raise Http404
    return FileResponse(ob.file.open("rb"), as_attachment=True, filename=ob.file_name)


@login_required
def obligation_create(request, pk: int):
    dispatch = dispatch_or_404(request.user, pk)
    _manage_or_403(request.user, dispatch)
    form = ObligationForm(request.POST or None, dispatch=dispatch)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.add_obligation(
                dispatch=dispatch,
                by=request.user,
                kind=d["kind"],
                label=d["label"],
                due_date=d["due_date"],
                person=d["person"],
                min_chars=d["min_chars"],
            )
        except states.TransitionRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已增加后续任务。"))
            return redirect("dispatch:detail", pk=dispatch.pk)
    return render(
        request, "dispatch/form.html", {"form": form, "title": _("增加后续任务"), "d": dispatch}
    )


@login_required
@require_POST
def obligation_delete(request, pk: int):
    ob = _obligation_or_404(request.user, pk)
    _manage_or_403(request.user, ob.dispatch)
    try:
        services.remove_obligation(obligation=ob, by=request.user)
    except states.TransitionRefused as exc:
        _refused(request, exc)
    else:
        messages.success(request, _("已删除后续任务。"))
    return redirect("dispatch:detail", pk=ob.dispatch_id)
