"""行事历 pages: month, teaching-week and print views of a term's calendar items, item editing
with evidence, and the iCalendar subscription page and feed.

Reads go through keshi.plans.calendar_selectors (keshi.org.scoping underneath): an item or plan
the user may not read is a 404; one they may read but not change is a 403.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from keshi.calendar import selectors as cal
from keshi.calendar.models import Term
from keshi.org.models import Group, Org, Person
from keshi.org.scoping import can_manage_org, scope_for, visible
from keshi.plans import calendar_selectors as sel
from keshi.plans import calendar_services as services
from keshi.plans import ical
from keshi.plans.forms_calendar import CalendarItemForm, FilterForm
from keshi.plans.models import CalendarFeed, CalendarItem, Plan
from keshi.records.models import Activity
from keshi.web.params import parse_id, query_id
from keshi.weekly import ical as weekly_ical

EVIDENCE_LIMIT = 20


@dataclass
class Page:
    org: Org | None
    term: Term | None
    plan: Plan | None
    terms: list[Term]
    params: dict[str, str]  # org/term/plan as given, to keep across tabs and forms


def _page(request) -> Page:
    """The org, term and plan a 行事历 page shows: ``?plan=`` (404 unless readable), else
    ``?org=CODE`` and ``?term=``, else the user's org and its current term."""
    user, get = request.user, request.GET
    params = {k: get[k] for k in ("org", "term", "plan") if get.get(k)}
    plan = None
    if "plan" in params:
        if (plan_id := parse_id(params["plan"])) is None:
            raise Http404
        plan = get_object_or_404(sel.readable_plans(user).select_related("org"), pk=plan_id)
        org = plan.org
    else:
        org = _org_for(user, params.get("org"))
    terms = list(cal.terms_of_org(user, org)) if org else []
    if plan is not None and plan.term_id:
        terms = [t for t in terms if t.pk == plan.term_id]
    elif plan is not None:
        terms = [t for t in terms if t.school_year_id == plan.school_year_id]
    term = None
    if "term" in params:
        term_id = parse_id(params["term"])
        term = next((t for t in terms if t.pk == term_id), None)
        if term is None:
            raise Http404
    elif terms:
        current = cal.current_term(org) if org else None
        term = next((t for t in terms if current and t.pk == current.pk), terms[0])
    return Page(org, term, plan, terms, params)


def _org_for(user, code: str | None) -> Org | None:
    if code:
        return get_object_or_404(cal.readable_orgs(user), code=code)
    return cal.calendar_org(user)


def _filters(request, page: Page, rows_all: list[sel.Row]) -> FilterForm:
    groups = visible(request.user, Group.objects.filter(org=page.org)).order_by("name")
    owners = sorted(
        {p for r in rows_all for p in r.item.owners.all()}, key=lambda p: (p.name, p.pk)
    )
    return FilterForm(request.GET, groups=groups, owners=owners)


def _rows(request, page: Page, view: str) -> dict:
    user = request.user
    today = timezone.localdate()
    context = {"page": page, "view": view, "today": today, "can_add": False}
    if page.term is None:
        return context
    every = sel.term_rows(user, page.term, plan=page.plan, today=today)
    form = _filters(request, page, every)
    filters = {k: form.value(k) for k in ("group", "owner", "status")}
    if any(filters.values()):
        rows = sel.term_rows(
            user,
            page.term,
            plan=page.plan,
            group_id=filters["group"],
            owner_id=filters["owner"],
            status=filters["status"] or "",
            today=today,
        )
    else:
        rows = every
    filter_params = {k: v for k, v in request.GET.items() if k in ("group", "owner", "status")}
    context.update(
        rows=rows,
        filter_form=form,
        filtered=any(filters.values()),
        query=urlencode(page.params | filter_params),
        base_query=urlencode(page.params),
        today_week=cal.teaching_week(page.term, today),
        overdue=sum(r.overdue for r in rows),
        can_add=sel.plans_for_new_items(user, page.org).exists(),
        can_manage=can_manage_org(user, page.org),
    )
    return context


@login_required
def index(request):
    """Month view: the term month by month."""
    page = _page(request)
    context = _rows(request, page, "month")
    if page.term is not None:
        context["months"] = sel.month_groups(page.term, context["rows"], context["today"])
    return render(request, "plans/itinerary_month.html", context)


@login_required
def weeks(request):
    """Teaching-week view: 第1周…第N周 with holidays; month-only items in a band per month."""
    page = _page(request)
    context = _rows(request, page, "week")
    if page.term is not None:
        context.update(sel.week_lines(page.term, context["rows"]))
    return render(request, "plans/itinerary_weeks.html", context)


@login_required
def print_view(request):
    page = _page(request)
    context = _rows(request, page, "print")
    context["printed_at"] = timezone.localtime()
    if page.term is not None:
        context["months"] = sel.month_groups(page.term, context["rows"], context["today"])
    return render(request, "plans/itinerary_print.html", context)


# ---- items ------------------------------------------------------------------------------------


def _item_or_404(user, pk: int) -> CalendarItem:
    qs = CalendarItem.objects.filter(plan__in=sel.readable_plans(user))
    return get_object_or_404(qs.select_related("plan", "plan__org", "plan__term", "group"), pk=pk)


def _editable_or_403(user, pk: int) -> CalendarItem:
    item = _item_or_404(user, pk)
    if not sel.can_edit_item(user, item):
        raise PermissionDenied(_("只有教科室或该组组长可以修改这项行事历。"))
    return item


def _back(item: CalendarItem) -> str:
    return f"{reverse('itinerary:index')}?{urlencode({'plan': item.plan_id})}"


@login_required
def item_new(request):
    page = _page(request)
    if page.org is None:
        raise Http404
    plans = sel.plans_for_new_items(request.user, page.org)
    if page.plan is not None:
        plans = plans.filter(pk=page.plan.pk)
    if not plans.exists():
        raise PermissionDenied(_("只有教科室或组长可以添加行事历。"))
    initial = {"plan": page.plan or plans.first()}
    form = CalendarItemForm(
        request.POST or None, user=request.user, org=page.org, plans=plans, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            item = services.create_item(
                plan=form.cleaned_data["plan"],
                owners=form.owners_to_save(),
                **form.service_fields(),
            )
        except ValidationError as e:
            _add_errors(form, e)
        else:
            messages.success(request, _("已添加行事历：%(t)s") % {"t": item.title})
            return redirect(_back(item))
    return render(request, "plans/itinerary_form.html", {"form": form, "item": None})


@login_required
def item_edit(request, pk: int):
    item = _item_or_404(request.user, pk)
    editable = sel.can_edit_item(request.user, item)
    if request.method == "POST" and not editable:
        raise PermissionDenied(_("只有教科室或该组组长可以修改这项行事历。"))
    form = None
    if editable:
        form = CalendarItemForm(
            request.POST or None, instance=item, user=request.user, org=item.plan.org
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.update_item(
                    item=item, owners=form.owners_to_save(), **form.service_fields()
                )
            except ValidationError as e:
                _add_errors(form, e)
            else:
                messages.success(request, _("已保存。"))
                return redirect(_back(item))
    placement = sel.placement_of(item)
    return render(
        request,
        "plans/itinerary_form.html",
        {
            "form": form,
            "item": item,
            "placement": placement,
            "overdue": sel.is_overdue(item.status, placement, timezone.localdate()),
            "evidence": visible(request.user, item.evidence.select_related("person", "kind")),
            "hidden_evidence": item.evidence.exclude(
                pk__in=visible(request.user, Activity.objects.all()).values("pk")
            ).count(),
        },
    )


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error.messages)


@login_required
@require_POST
def item_delete(request, pk: int):
    item = _editable_or_403(request.user, pk)
    back = _back(item)
    services.delete_item(item=item)
    messages.success(request, _("已删除行事历：%(t)s") % {"t": item.title})
    return redirect(back)


def _evidence_candidates(user, item: CalendarItem, q: str):
    qs = visible(user, Activity.objects.filter(org=item.plan.org, status__in=Activity.COUNTED))
    qs = qs.exclude(pk__in=item.evidence.values("pk")).select_related("person", "kind")
    if q:
        qs = qs.filter(
            Q(person__name__icontains=q) | Q(title__icontains=q) | Q(kind__label__icontains=q)
        )
    else:
        owners = list(item.owners.values_list("pk", flat=True))
        if owners:
            qs = qs.filter(person_id__in=owners)
    return qs.order_by("-date", "-pk")[:EVIDENCE_LIMIT]


@login_required
@require_GET
def evidence_search(request, pk: int):
    item = _editable_or_403(request.user, pk)
    q = request.GET.get("q", "").strip()[:50]
    return render(
        request,
        "plans/itinerary_evidence_results.html",
        {"item": item, "candidates": _evidence_candidates(request.user, item, q), "q": q},
    )


@login_required
@require_POST
def evidence_add(request, pk: int):
    item = _editable_or_403(request.user, pk)
    if (activity_id := query_id(request, "activity")) is None:
        raise Http404
    activities = visible(request.user, Activity.objects.filter(org=item.plan.org))
    activity = get_object_or_404(activities, pk=activity_id)
    services.add_evidence(item=item, activities=[activity])
    messages.success(request, _("已关联佐证记录。"))
    return redirect("itinerary:item", pk=item.pk)


@login_required
@require_POST
def evidence_remove(request, pk: int, activity_id: int):
    item = _editable_or_403(request.user, pk)
    activity = get_object_or_404(item.evidence.all(), pk=activity_id)
    services.remove_evidence(item=item, activity=activity)
    messages.success(request, _("已取消关联。"))
    return redirect("itinerary:item", pk=item.pk)


# ---- iCalendar --------------------------------------------------------------------------------


def _subscribe_org(request) -> Org:
    scope = scope_for(request.user)
    if scope.person_org_id:
        return Org.objects.get(pk=scope.person_org_id)
    org = _org_for(request.user, request.GET.get("org") or request.POST.get("org"))
    if org is None:
        raise Http404
    return org


@login_required
def subscribe(request):
    org = _subscribe_org(request)
    feeds = sel.feeds_for(request.user, org)
    links = {}
    for key, feed in feeds.items():
        if feed is not None:
            url = request.build_absolute_uri(reverse("itinerary:feed", args=[feed.token]))
            links[key] = {
                "feed": feed,
                "https": url,
                "webcal": "webcal://" + url.split("://", 1)[1],
            }
    return render(
        request,
        "plans/itinerary_subscribe.html",
        {
            "org": org,
            "links": links,
            "has_person": scope_for(request.user).person_id is not None,
            "can_manage": can_manage_org(request.user, org),
        },
    )


@login_required
@require_POST
def feed_create(request):
    org = _subscribe_org(request)
    if request.POST.get("kind") == "org":
        if not can_manage_org(request.user, org):
            raise PermissionDenied
        services.create_feed(org=org)
    else:
        person_id = scope_for(request.user).person_id
        if person_id is None:
            raise PermissionDenied
        services.create_feed(org=org, person=Person.objects.get(pk=person_id))
    messages.success(request, _("已生成新的订阅地址；旧地址（如有）已失效。"))
    return redirect(f"{reverse('itinerary:subscribe')}?{urlencode({'org': org.code})}")


@login_required
@require_POST
def feed_revoke(request, pk: int):
    scope = scope_for(request.user)
    feed = get_object_or_404(CalendarFeed.objects.select_related("org"), pk=pk)
    own = feed.person_id is not None and feed.person_id == scope.person_id
    if not own and not (feed.person_id is None and can_manage_org(request.user, feed.org)):
        raise Http404
    services.revoke_feed(feed=feed)
    messages.success(request, _("订阅地址已作废，用它订阅的日历将不再更新。"))
    return redirect(f"{reverse('itinerary:subscribe')}?{urlencode({'org': feed.org.code})}")


@require_GET
def feed(request, token: str):
    """No login: the secret token is the credential. A revoked or unknown token is a 404."""
    found = sel.active_feed(token)
    if found is None:
        raise Http404
    if found.person_id:
        name = _("%(name)s的行事历") % {"name": found.person.name}
    else:
        name = _("%(org)s行事历") % {"org": found.org.name}
    body = ical.build_calendar(name, sel.feed_entries(found), extra=weekly_ical.events_for(found))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="keshi.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response
