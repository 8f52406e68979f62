"""Pages: overview, absences, the arrangement page per absence, my cover duties."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Q, When
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keshi.calendar.selectors import current_term, home_org, readable_orgs
from keshi.cover import selectors, services
from keshi.cover.filters import AbsenceFilter
from keshi.cover.forms import AbsenceForm, CoverForm, DecideForm, HomeroomForm
from keshi.cover.models import Absence, Cover, HomeroomDuty, TimetableEntry
from keshi.org.models import Org, Person
from keshi.org.scoping import can_manage_org, can_read_org, manageable, scope_for, visible

PAGE_SIZE = 30


def current_org(request) -> Org | None:
    """``?org=CODE`` when the user may read it (district staff), else the user's home org."""
    code = request.GET.get("org")
    if code:
        org = Org.objects.filter(code=code).first()
        if org is not None and can_read_org(request.user, org):
            return org
    org = home_org(request.user)
    if org is not None and org.kind == Org.Kind.DISTRICT:  # district staff: their first school
        return next(iter(org_choices(request.user)), org)
    return org


def org_choices(user) -> list[Org]:
    """Schools a reader may switch between (district staff), schools before hospitals, in the
    order they were registered; empty for everyone else. (Not by ``path``: "/1/10/" sorts
    before "/1/9/", so the first school would depend on the ids.)"""
    if not scope_for(user).read_paths and not scope_for(user).is_admin:
        return []
    orgs = readable_orgs(user).exclude(kind=Org.Kind.DISTRICT)
    school_first = Case(When(kind=Org.Kind.SCHOOL, then=0), default=1)
    return list(orgs.order_by(school_first, "pk")[:200])


@login_required
def index(request):
    org = current_org(request)
    scope = scope_for(request.user)
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    context = {
        "org": org,
        "today": today,
        "may_manage": org and can_manage_org(request.user, org),
        "org_choices": org_choices(request.user),
        "is_person": bool(scope.person_id),
        "is_reader": org is not None and can_read_org(request.user, org),
    }
    if context["is_reader"]:
        week = (
            visible(request.user, Absence.objects.filter(org=org))
            .filter(start_date__lte=monday + timedelta(days=6), end_date__gte=monday)
            .select_related("person", "org")
            .order_by("start_date", "person__name")
        )
        rows = []
        for absence in week[:50]:
            needs = selectors.lessons_to_cover(absence)
            rows.append(
                {
                    "absence": absence,
                    "lessons": len(needs),
                    "uncovered": sum(1 for n in needs if n.cover is None),
                    "today": absence.start_date <= today <= absence.end_date,
                }
            )
        context["week"] = rows
        context["uncovered_total"] = sum(r["uncovered"] for r in rows)
    if scope.person_id:
        context.update(_mine(scope.person_id, today))
        context["my_absences"] = Absence.objects.filter(
            person_id=scope.person_id, end_date__gte=today
        ).order_by("start_date")[:10]
    return render(request, "cover/index.html", context)


def _mine(person_id: int, today: date) -> dict:
    covers = Cover.objects.filter(cover_person_id=person_id).select_related(
        "absence__person", "entry", "homeroom", "swap_entry"
    )
    return {
        "requests": covers.filter(status=Cover.Status.PROPOSED).order_by("date", "pk"),
        "duties": covers.filter(status=Cover.Status.CONFIRMED)
        .filter(Q(date__gte=today) | Q(date__isnull=True, absence__end_date__gte=today))
        .order_by("date", "entry__period", "pk"),
    }


@login_required
def mine(request):
    scope = scope_for(request.user)
    if not scope.person_id:
        return render(request, "cover/mine.html", {"no_person": True})
    today = timezone.localdate()
    context = _mine(scope.person_id, today)
    past = (
        Cover.objects.filter(cover_person_id=scope.person_id)
        .exclude(status=Cover.Status.PROPOSED)
        .select_related("absence__person", "entry", "homeroom")
        .order_by("-date", "-pk")
    )
    context["page"] = Paginator(past, PAGE_SIZE).get_page(request.GET.get("page"))
    context["decide_form"] = DecideForm()
    person = Person.objects.select_related("org").get(pk=scope.person_id)
    term = current_term(person.org)
    counts = selectors.cover_counts(person.org, term) if term else []
    context["term"] = term
    context["my_counts"] = next((r for r in counts if r["person_id"] == person.pk), None)
    return render(request, "cover/mine.html", context)


@login_required
def absences(request):
    filters = AbsenceFilter(request.GET, queryset=selectors.visible_absences(request.user))
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    may_create = manageable(request.user, Org.objects.all()).exists()
    context = {
        "page": page,
        "filters": filters,
        "may_create": may_create,
    }
    return render(request, "cover/absences.html", context)


def _managed_people(request):
    orgs = manageable(request.user, Org.objects.all())
    if not orgs.exists():
        raise PermissionDenied
    return Person.objects.filter(org__in=orgs, active=True).order_by("org__path", "name", "pk")


@login_required
@require_http_methods(["GET", "POST"])
def absence_new(request):
    form = AbsenceForm(request.POST or None, people=_managed_people(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        absence = services.record_absence(
            person=d["person"], kind=d["kind"], title=d["title"], span=form.span, by=request.user
        )
        messages.success(request, _("已登记%(who)s的外出/请假。") % {"who": absence.person})
        return redirect("cover:absence", pk=absence.pk)
    return render(request, "cover/absence_form.html", {"form": form})


def _readable_absence(request, pk: int) -> Absence:
    qs = Absence.objects.select_related("person", "org")
    return get_object_or_404(visible(request.user, qs), pk=pk)


def _managed_absence(request, pk: int) -> Absence:
    absence = _readable_absence(request, pk)
    if not can_manage_org(request.user, absence.org):
        raise PermissionDenied
    return absence


@login_required
@require_http_methods(["GET", "POST"])
def absence_edit(request, pk: int):
    absence = _managed_absence(request, pk)
    if not absence.reference.startswith("manual:"):
        messages.warning(request, _("这条外出记录来自培训派遣，请在派遣页面修改。"))
        return redirect("cover:absence", pk=pk)
    initial = {
        f: getattr(absence, f)
        for f in ("person", "kind", "title", "start_date", "start_half", "end_date", "end_half")
    }
    form = AbsenceForm(request.POST or None, initial=initial, people=_managed_people(request))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.record_absence(
            person=d["person"],
            kind=d["kind"],
            title=d["title"],
            span=form.span,
            by=request.user,
            absence=absence,
        )
        messages.success(request, _("已保存。"))
        return redirect("cover:absence", pk=pk)
    return render(request, "cover/absence_form.html", {"form": form, "absence": absence})


@login_required
@require_POST
def absence_delete(request, pk: int):
    absence = _managed_absence(request, pk)
    if not absence.reference.startswith("manual:"):
        raise PermissionDenied
    services.delete_absence(absence=absence, by=request.user)
    messages.success(request, _("已删除，相关调代课安排已取消并通知了相关教师。"))
    return redirect("cover:absences")


def _may_arrange(request, absence: Absence, kind: str) -> tuple[bool, bool]:
    """(may arrange, as office)."""
    if can_manage_org(request.user, absence.org):
        return True, True
    own = scope_for(request.user).person_id == absence.person_id
    return own and kind != Cover.Kind.SUBSTITUTE, False


def _swap_choices(absence: Absence, needs) -> dict[str, list[tuple[str, str]]]:
    """For each lesson: the colleagues' lessons of the same class in the two weeks after the
    absence, that the absent teacher could take in exchange (value ``entry|date``)."""
    classes = {n.entry.class_name for n in needs}
    if not classes:
        return {}
    start = absence.end_date + timedelta(days=1)
    days = selectors.Slots(absence.org, start, start + timedelta(days=13))
    by_day = [(start + timedelta(days=i)) for i in range(14)]
    lesson_days = [(d, days.lesson_day(d)) for d in by_day]
    others = (
        TimetableEntry.objects.filter(
            org=absence.org, term__in=days.terms, class_name__in=classes, person__active=True
        )
        .exclude(person_id=absence.person_id)
        .select_related("person")
        .order_by("weekday", "period")
    )
    choices: dict[str, list[tuple[str, str]]] = {c: [] for c in classes}
    for d, found in lesson_days:
        if not found:
            continue
        for e in others:
            if (e.term_id, e.weekday) == (found[0].pk, found[1]):
                label = f"{e.person.name} {d:%m-%d} {e.weekday_label}第{e.period}节 {e.subject}"
                choices[e.class_name].append((f"{e.pk}|{d:%Y-%m-%d}", label))
    return choices


@login_required
def absence_detail(request, pk: int):
    absence = _readable_absence(request, pk)
    return _render_arrangement(request, absence)


def _render_arrangement(request, absence: Absence, failed: dict | None = None, status=200):
    needs = selectors.lessons_to_cover(absence)
    selectors.annotate_busy(absence.org, needs)
    kind = selectors.cover_kind(absence)
    may_arrange, as_office = _may_arrange(request, absence, kind)
    people = list(selectors.colleagues(absence.org, exclude=absence.person))
    swaps = _swap_choices(absence, needs) if kind == Cover.Kind.SWAP and may_arrange else {}
    rows = []
    for need in needs:
        candidates = []
        for p in people:
            reasons = need.busy.get(p.pk, [])
            away = any(why == selectors.AWAY for why, _m, _pk in reasons)
            candidates.append((p, reasons[0][1] if reasons else "", away))
        candidates.sort(key=lambda c: (c[2], bool(c[1])))
        rows.append(
            {
                "need": need,
                "clashes": selectors.cover_clashes(need),
                "candidates": candidates,
                "swaps": swaps.get(need.entry.class_name, []),
                "failed": failed if failed and failed.get("lesson") == need.key else None,
            }
        )
    context = {
        "absence": absence,
        "rows": rows,
        "homerooms": selectors.homeroom_to_cover(absence),
        "kind": kind,
        "kind_label": Cover.Kind(kind).label,
        "days": selectors.days_away(absence),
        "threshold": selectors.substitute_threshold(),
        "may_arrange": may_arrange,
        "as_office": as_office,
        "may_manage": can_manage_org(request.user, absence.org),
        "people": people,
        "failed": failed,
        "covers": absence.covers.exclude(status__in=Cover.LIVE).select_related(
            "cover_person", "entry", "homeroom"
        ),
        "uncovered": sum(1 for n in needs if n.cover is None),
    }
    return render(request, "cover/absence.html", context, status=status)


@login_required
@require_POST
def cover_create(request, pk: int):
    absence = _readable_absence(request, pk)
    kind = selectors.cover_kind(absence)
    may, as_office = _may_arrange(request, absence, kind)
    if not may:
        raise PermissionDenied
    needs = {n.key: n for n in selectors.lessons_to_cover(absence)}
    people = selectors.colleagues(absence.org, exclude=absence.person)
    form = CoverForm(request.POST, people=people)
    failed = {"lesson": request.POST.get("lesson"), "errors": [], "warnings": [], "form": form}
    swap_value = request.POST.get("swap", "")
    if not form.is_valid() or form.cleaned_data["lesson"] not in needs:
        failed["errors"] = [e for errs in form.errors.values() for e in errs] or [
            _("请选择要安排的课。")
        ]
        return _render_arrangement(request, absence, failed, status=400)
    need = needs[form.cleaned_data["lesson"]]
    swap_entry = swap_date = None
    if swap_value:
        try:
            entry_pk, day = swap_value.split("|")
            swap_entry = TimetableEntry.objects.get(pk=int(entry_pk), org=absence.org)
            swap_date = date.fromisoformat(day)
        except (ValueError, TimetableEntry.DoesNotExist):
            failed["errors"] = [_("换回的课无效，请重新选择。")]
            return _render_arrangement(request, absence, failed, status=400)
    cover_person = swap_entry.person if swap_entry else form.cleaned_data["cover_person"]
    if cover_person is None:
        failed["errors"] = [_("请选择由谁上这节课。")]
        return _render_arrangement(request, absence, failed, status=400)
    try:
        services.arrange_cover(
            absence=absence,
            entry=need.entry,
            day=need.date,
            cover_person=cover_person,
            by=request.user,
            by_office=as_office,
            swap_entry=swap_entry,
            swap_date=swap_date,
            confirm_clashes=form.cleaned_data["confirm_clashes"],
            note=form.cleaned_data["note"],
        )
    except services.ClashWarning as exc:
        failed["warnings"] = exc.messages
        failed["values"] = request.POST
        return _render_arrangement(request, absence, failed, status=409)
    except ValidationError as exc:
        failed["errors"] = exc.messages
        return _render_arrangement(request, absence, failed, status=400)
    messages.success(request, _("已安排。") if as_office else _("已发出调课请求，等待同事确认。"))
    return redirect("cover:absence", pk=pk)


@login_required
@require_POST
def homeroom_create(request, pk: int):
    absence = _readable_absence(request, pk)
    may, as_office = _may_arrange(request, absence, selectors.cover_kind(absence))
    if not may:
        raise PermissionDenied
    people = selectors.colleagues(absence.org, exclude=absence.person)
    form = HomeroomForm(request.POST, people=people)
    if form.is_valid():
        duty = HomeroomDuty.objects.filter(pk=form.cleaned_data["duty"], org=absence.org).first()
        try:
            if duty is None:
                raise ValidationError(_("班主任工作不存在。"))
            services.arrange_homeroom(
                absence=absence,
                duty=duty,
                cover_person=form.cleaned_data["cover_person"],
                by=request.user,
                by_office=as_office,
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已安排代理班主任。"))
    else:
        messages.error(request, _("请选择代理班主任。"))
    return redirect("cover:absence", pk=pk)


@login_required
@require_POST
def cover_decide(request, pk: int):
    cover = get_object_or_404(visible(request.user, Cover.objects.all()), pk=pk)
    if cover.cover_person_id != scope_for(request.user).person_id:
        raise PermissionDenied
    form = DecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择同意或婉拒。"))
        return redirect("cover:mine")
    try:
        services.decide_cover(
            cover=cover,
            accept=form.cleaned_data["accept"],
            by=request.user,
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已回复。"))
    return redirect("cover:mine")


@login_required
@require_POST
def cover_cancel(request, pk: int):
    cover = get_object_or_404(
        visible(request.user, Cover.objects.select_related("absence", "org")), pk=pk
    )
    own = scope_for(request.user).person_id == cover.absence.person_id
    if not (own or can_manage_org(request.user, cover.org)):
        raise PermissionDenied
    if own and not can_manage_org(request.user, cover.org) and cover.kind == Cover.Kind.SUBSTITUTE:
        raise PermissionDenied
    services.cancel_cover(cover=cover, by=request.user)
    messages.success(request, _("已取消该安排，并通知了相关教师。"))
    return redirect("cover:absence", pk=cover.absence_id)
