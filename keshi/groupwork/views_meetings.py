"""例会 pages: the list, a new 例会 (office only; a plan's 行事历 clause may prefill it), one
例会 with its slots, sessions, attendees and attendance. Sessions open on the 教研活动 page
(sign-in by list or QR). Reads through keshi.groupwork.selectors (scoping underneath)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term, home_org
from keshi.groupwork import selectors, services_meetings, stats
from keshi.groupwork.forms import MeetingForm, MembersForm
from keshi.groupwork.models import Audience, Every, Meeting, Schedule
from keshi.org.models import Membership
from keshi.org.scoping import can_manage_org
from keshi.records.forms import add_errors

PREFILL = ("name", "every", "weekday", "week_of_month", "first_week")


def _meeting_or_404(user, pk: int) -> Meeting:
    meeting = selectors.meetings_for(user).filter(pk=pk).first()
    if meeting is None:
        raise Http404(_("没有这个例会，或您无权查看。"))
    return meeting


def _term(org, groups) -> Term | None:
    """The current term, else the latest one the meetings were scheduled in."""
    term = current_term(org) if org else None
    if term is None:
        term = (
            Term.objects.filter(pk__in=Schedule.objects.filter(group__in=groups).values("term"))
            .order_by("-start")
            .first()
        )
    return term


def _slot(meeting: Meeting, term: Term | None) -> Schedule | None:
    slots = sorted(meeting.group.schedules.all(), key=lambda s: s.term_id != getattr(term, "pk", 0))
    return slots[0] if slots else None


@login_required
@require_GET
def meeting_list(request):
    org = home_org(request.user)
    meetings = list(
        selectors.meetings_for(request.user)
        .prefetch_related("group__schedules")
        .order_by("group__name")
    )
    term = _term(org, [m.group for m in meetings])
    figures = {}
    if term and org:
        figures = {r.meeting.pk: r for r in stats.meeting_attendance(org, term)}
    return render(
        request,
        "groupwork/meeting_list.html",
        {
            "rows": [(m, _slot(m, term), figures.get(m.pk)) for m in meetings],
            "term": term,
            "may_create": org is not None and can_manage_org(request.user, org),
        },
    )


def _initial(request, org) -> dict:
    """From the query string (the plan's 采纳 page links here): only known values."""
    initial = {"term": current_term(org), "audience": Audience.GROUP_LEADS}
    for key in PREFILL:
        if value := request.GET.get(key, "").strip()[:100]:
            initial[key] = value
    if initial.get("every") not in Every.values:
        initial.pop("every", None)
    name = initial.get("name", "")
    if "主任" in name:  # 学科主任会
        initial["audience"] = Audience.SUBJECT_LEADS
    elif "行政" in name or "班子" in name:
        initial["audience"] = Audience.PEOPLE
    return initial


@login_required
def meeting_create(request):
    org = home_org(request.user)
    if org is None or not can_manage_org(request.user, org):
        raise PermissionDenied(_("只有教科室（本单位管理员）可以安排例会。"))
    form = MeetingForm(request.POST or None, org=org, initial=_initial(request, org))
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values["people"] = list(values["people"])
        try:
            meeting = services_meetings.create_meeting(org=org, by=request.user, **values)
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            n = meeting.group.sessions.count()
            messages.success(
                request, _("已安排例会，生成了本学期 %(n)d 次（节假日已跳过）。") % {"n": n}
            )
            return redirect("groupwork:meeting", pk=meeting.pk)
    return render(request, "groupwork/form.html", {"form": form, "title": _("安排例会")})


@login_required
@require_GET
def meeting_detail(request, pk: int):
    meeting = _meeting_or_404(request.user, pk)
    term = _term(meeting.org, [meeting.group])
    may_manage = selectors.can_manage_group(request.user, meeting.group)
    today = timezone.localdate()
    figures = stats.meeting_attendance(meeting.org, term) if term else []
    ctx = {
        "meeting": meeting,
        "term": term,
        "may_manage": may_manage,
        "may_edit_members": can_manage_org(request.user, meeting.org),
        "figures": next((r for r in figures if r.meeting.pk == meeting.pk), None),
        "schedules": meeting.group.schedules.select_related("term").order_by("-term__start"),
        "attendees": Membership.objects.current(today)
        .filter(group=meeting.group)
        .select_related("person")
        .order_by("-role", "person__name"),
        "sessions": meeting.group.sessions.filter(
            **({"date__gte": term.start, "date__lte": term.end} if term else {})
        )
        .annotate(n=Count("attendances"))
        .order_by("date"),
        "today": today,
    }
    if ctx["may_edit_members"] and meeting.audience == Audience.PEOPLE:
        ctx["members_form"] = MembersForm(
            org=meeting.org, initial={"people": [m.person_id for m in ctx["attendees"]]}
        )
    return render(request, "groupwork/meeting_detail.html", ctx)


@login_required
@require_POST
def meeting_members(request, pk: int):
    meeting = _meeting_or_404(request.user, pk)
    if not can_manage_org(request.user, meeting.org):
        raise PermissionDenied(_("只有教科室可以修改例会的参会人员。"))
    try:
        if meeting.audience == Audience.PEOPLE:
            form = MembersForm(request.POST, org=meeting.org)
            if not form.is_valid():
                raise ValidationError(_("请选择本单位的在职人员。"))
            people = list(form.cleaned_data["people"])
            added, ended = services_meetings.set_members(
                meeting=meeting, people=people, by=request.user
            )
        else:
            added, ended = services_meetings.refresh_members(meeting=meeting, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("参会人员已更新：新增 %(a)d 人，移出 %(e)d 人。") % {"a": added, "e": ended}
        )
    return redirect("groupwork:meeting", pk=pk)
