"""Record pages: list and export, record form (one, or many people at once), detail with its
attachments and history, edit, delete, and the colleague directory behind the 被听课教师 search.

Reads go through keshi.records.selectors (keshi.org.scoping underneath): a record the user may
not read is a 404, one they may read but not change is a 403.
"""

from __future__ import annotations

import contextlib
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keshi.documents.http import stored_file
from keshi.org.models import Membership, Mentorship
from keshi.org.scoping import scope_for, visible
from keshi.records import feedback_selectors, feedback_services, selectors, services
from keshi.records.exports import activities_xlsx
from keshi.records.forms import ActivityForm, FilterForm, ReviewForm, add_errors
from keshi.records.models import Activity, ActivityKind, Attachment
from keshi.rules.models import Requirement
from keshi.rules.selectors_counting import counting_rules, record_counting
from keshi.web.params import query_id

PAGE_SIZE = 25
EXPORT_LIMIT = 50000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _visible_or_404(user, pk: int) -> Activity:
    activity = selectors.activity_for(user, pk)
    if activity is None:
        raise Http404(_("没有这条记录，或您无权查看。"))
    return activity


def _editable_or_403(user, pk: int) -> Activity:
    activity = _visible_or_404(user, pk)
    if not selectors.editable(user).filter(pk=activity.pk).exists():
        raise PermissionDenied(_("这条记录已通过审核或您无权修改。"))
    return activity


# ---- list and export ------------------------------------------------------------------------


def _filtered(request):
    form = FilterForm(request.user, request.GET)
    filters = form.filters()
    return form, filters, selectors.activity_list(request.user, **filters)


@login_required
@require_GET
def activity_list(request):
    form, filters, qs = _filtered(request)
    page = Paginator(qs.prefetch_related("attachments"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "form": form,
        "page": page,
        "filtered": bool(filters),
        "may_record": selectors.recordable_people(request.user).exists(),
        "for_others": selectors.records_for_others(request.user),
        "queue_count": selectors.review_queue(request.user).count(),
        "manages_kinds": _manages(request.user),
    }
    return render(request, "records/list.html", context)


def _manages(user) -> bool:
    return selectors.scope_for(user).manages


@login_required
@require_GET
def activity_export(request):
    _form, _filters, qs = _filtered(request)
    rows = qs.select_related("created_by")[:EXPORT_LIMIT]
    today = timezone.localdate()
    content = activities_xlsx(_("工作记录（导出于 %(d)s）") % {"d": today.isoformat()}, rows)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        True, f"工作记录-{today:%Y%m%d}.xlsx"
    )
    return response


# ---- create -----------------------------------------------------------------------------


def _kind_from(request, org) -> ActivityKind | None:
    code = (request.POST.get("kind") or request.GET.get("kind") or "").strip()
    return selectors.kind_by_code(org, code) if code else None


def _initial(request) -> dict:
    initial = {}
    with contextlib.suppress(ValueError):
        initial["date"] = date.fromisoformat(request.GET.get("date", ""))
    if person := query_id(request, "person"):
        initial["person"] = person
    if request.method == "GET" and (observed := query_id(request, "observed")):
        initial["observed"] = observed  # 去登记 from a 听课任务
    elif request.method == "GET" and (mentor := _mentor_for(request)):
        initial["observed"] = mentor  # 去登记 from 徒弟听师傅: the mentor's lesson
    return initial


def _mentor_for(request) -> int | None:
    """The recorder's current mentor when they come from a 徒弟听师傅 task (?requirement=)."""
    rule = query_id(request, "requirement")
    person_id = scope_for(request.user).person_id
    if not (rule and person_id):
        return None
    mentee_rule = Requirement.objects.filter(
        pk=rule, mentorship=Requirement.Mentorship.MENTEE_OBSERVES_MENTOR
    )
    if not visible(request.user, mentee_rule).exists():
        return None
    pairs = Mentorship.objects.current(timezone.localdate()).filter(mentee_id=person_id)
    return pairs.values_list("mentor_id", flat=True).first()


@login_required
def activity_create(request):
    if not selectors.recordable_people(request.user).exists():
        raise PermissionDenied(_("只有教师、组长和教科室可以登记工作记录。"))
    org = selectors.home_org_for(request.user)
    kind = _kind_from(request, org)
    form = None
    if kind is not None:
        form = ActivityForm(
            request.POST or None,
            request.FILES or None,
            user=request.user,
            kind=kind,
            initial=_initial(request),
        )
        if request.method == "POST" and form.is_valid():
            try:
                activity = _save_new(request, form, kind)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("已保存：%(who)s 的%(kind)s（%(date)s）。")
                    % {"who": activity.person.name, "kind": kind.label, "date": activity.date},
                )
                return redirect(reverse("records:detail", args=[activity.pk]) + "?saved=1")
    context = {
        "kinds": selectors.kinds_for_org(org),
        "kind": kind,
        "form": form,
        "for_others": selectors.records_for_others(request.user),
        "observed_person": getattr(form, "observed_person", None),
        "counting": _counting(request, form, kind),
    }
    return render(request, "records/form.html", context)


def _counting(request, form, kind) -> list | None:
    """The requirements the record would count toward (None: no person chosen yet)."""
    person = form.person_shown() if form is not None else None
    if person is None:
        return None
    return counting_rules(request.user, person=person, kind=kind, on=timezone.localdate())


@transaction.atomic
def _save_new(request, form: ActivityForm, kind: ActivityKind) -> Activity:
    activity = services.record_activity(
        person=form.target_person(), kind=kind, by=request.user, **form.values()
    )
    feedback_services.save_observation_feedback(
        activity=activity, by=request.user, **form.feedback_values()
    )
    for name, data, content_type in form.cleaned_data.get("files") or []:
        services.add_attachment(activity=activity, name=name, data=data, content_type=content_type)
    return activity


@login_required
def activity_bulk(request):
    if not selectors.records_for_others(request.user):
        raise PermissionDenied(_("只有组长和教科室可以批量登记。"))
    org = selectors.home_org_for(request.user)
    kind = _kind_from(request, org)
    form = None
    if kind is not None:
        form = ActivityForm(
            request.POST or None, user=request.user, kind=kind, bulk=True, initial=_initial(request)
        )
        if request.method == "POST" and form.is_valid():
            values = form.values()
            values.pop("observed")
            try:
                created = services.record_bulk(
                    people=list(form.cleaned_data["people"]), kind=kind, by=request.user, **values
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("已为 %(n)s 人各登记一条%(kind)s。")
                    % {"n": len(created), "kind": kind.label},
                )
                return redirect(f"{reverse('records:list')}?kind={kind.pk}")
    context = {
        "kinds": selectors.kinds_for_org(org),
        "kind": kind,
        "form": form,
        "bulk": True,
        "groups": _bulk_groups(request.user, form),
    }
    return render(request, "records/form.html", context)


def _bulk_groups(user, form) -> list[dict]:
    """Groups with the ids of their recordable members, for the “选中全组” buttons."""
    if form is None:
        return []
    people = form.fields["people"].queryset
    groups = selectors.listable_groups(user)
    members: dict[int, list[int]] = {}
    for group_id, person_id in (
        Membership.objects.current()
        .filter(group__in=groups, person__in=people)
        .values_list("group_id", "person_id")
    ):
        members.setdefault(group_id, []).append(person_id)
    return [
        {"name": g.name, "ids": ",".join(map(str, members[g.pk]))}
        for g in groups
        if g.pk in members
    ]


# ---- detail, edit, delete -------------------------------------------------------------------


@login_required
@require_GET
def activity_detail(request, pk: int):
    activity = selectors.activity_for(request.user, pk)
    if activity is None and feedback_selectors.feedback_for(request.user, pk):
        # the observed teacher's link to an observation of their lesson
        return redirect("records:feedback_detail", pk=pk)
    activity = activity or _visible_or_404(request.user, pk)
    fields = [
        (spec.get("label") or spec["name"], activity.data.get(spec["name"]))
        for spec in activity.kind.fields
        if activity.data.get(spec["name"]) not in (None, "")
    ]
    context = {
        "activity": activity,
        "fields": fields,
        "attachments": activity.attachments.order_by("pk"),
        "history": activity.history.select_related("history_user").order_by("-history_date")[:50],
        "attachment_history": Attachment.history.filter(activity_id=activity.pk)
        .select_related("history_user")
        .order_by("-history_date")[:50],
        "can_edit": selectors.editable(request.user).filter(pk=pk).exists(),
        "can_review": activity.status == Activity.Status.SUBMITTED
        and selectors.can_review(request.user, activity),
        "may_record": selectors.can_record_for(request.user, activity.person),
        "review_form": ReviewForm(),
        "saved": request.GET.get("saved") == "1",
        "counted": record_counting(request.user, activity, timezone.localdate()),
        **_feedback_context(request.user, activity),
    }
    return render(request, "records/detail.html", context)


def _feedback_context(user, activity: Activity) -> dict:
    """The feedback card of an observation: scores, 已阅 and 回复 for those in the feedback's
    circle; the private notes for the observer alone."""
    if not feedback_selectors.may_read_feedback(user, activity):
        return {}
    feedback = feedback_selectors.feedback_of(activity)
    is_observer = activity.person.user_id == user.pk
    return {
        "feedback": feedback,
        "feedback_items": feedback_selectors.scored_items(feedback),
        "private_notes": feedback.private_notes if feedback and is_observer else "",
        "show_feedback": True,
    }


@login_required
def activity_edit(request, pk: int):
    activity = _editable_or_403(request.user, pk)
    form = ActivityForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        kind=activity.kind,
        instance=activity,
    )
    if request.method == "POST" and form.is_valid():
        was_returned = activity.status == Activity.Status.RETURNED
        before = feedback_services.Snapshot.of(activity)
        try:
            with transaction.atomic():
                services.update_activity(activity=activity, by=request.user, **form.values())
                feedback_services.save_observation_feedback(
                    activity=activity, by=request.user, before=before, **form.feedback_values()
                )
                for name, data, content_type in form.cleaned_data.get("files") or []:
                    services.add_attachment(
                        activity=activity, name=name, data=data, content_type=content_type
                    )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("已重新提交，等待审核。") if was_returned else _("已保存修改。")
            )
            return redirect("records:detail", pk=activity.pk)
    context = {
        "kind": activity.kind,
        "form": form,
        "activity": activity,
        "attachments": activity.attachments.order_by("pk"),
        "observed_person": form.observed_person,
    }
    return render(request, "records/form.html", context)


@login_required
@require_POST
def activity_delete(request, pk: int):
    activity = _editable_or_403(request.user, pk)
    services.delete_activity(activity=activity, by=request.user)
    messages.success(request, _("记录已删除。"))
    return redirect("records:list")


# ---- attachments ----------------------------------------------------------------------------


@login_required
@require_GET
def attachment_download(request, pk: int):
    attachment = selectors.attachment_for(request.user, pk)
    if attachment is None:
        raise Http404(_("没有这个附件，或您无权查看。"))
    return stored_file(attachment.file, attachment.name, attachment.content_type)


@login_required
@require_POST
def attachment_delete(request, pk: int):
    attachment = selectors.attachment_for(request.user, pk)
    if attachment is None:
        raise Http404
    _editable_or_403(request.user, attachment.activity_id)
    services.delete_attachment(attachment=attachment)
    messages.success(request, _("附件“%(name)s”已删除。") % {"name": attachment.name})
    return redirect("records:edit", pk=attachment.activity_id)


# ---- the directory (htmx) -------------------------------------------------------------------


@login_required
@require_GET
def directory(request):
    org = None
    if request.GET.get("person", "").strip():
        person_pk = query_id(request, "person")
        person = selectors.recordable_people(request.user).filter(pk=person_pk).first()
        org = person.org if person else None
        if person is None:
            return render(request, "records/_directory.html", {"entries": [], "q": ""})
    q = request.GET.get("q", "")[:50]
    entries = selectors.directory(request.user, q, org=org)
    exclude = selectors.scope_for(request.user).person_id if org is None else person_pk
    entries = [e for e in entries if e.pk != exclude]
    return render(request, "records/_directory.html", {"entries": entries, "q": q})
