from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from keshi.calendar import selectors, services
from keshi.calendar.forms import CalendarYearForm, SchoolYearForm
from keshi.org.models import Org
from keshi.org.scoping import can_manage_org
from keshi.web.params import query_id

WEEKDAY_LABELS = ["一", "二", "三", "四", "五", "六", "日"]


def _org_for(request) -> Org | None:
    """The org asked for by ``?org=CODE`` (404 unless readable), else the user's own."""
    orgs = selectors.readable_orgs(request.user)
    code = request.GET.get("org")
    if code:
        return get_object_or_404(orgs, code=code)
    home = selectors.home_org(request.user)
    if home is not None and not orgs.filter(pk=home.pk).exists():
        home = None
    if home is not None and home.school_years.exists():
        return home
    # District staff: their own office keeps no terms, so open the first school that does.
    with_terms = orgs.filter(school_years__isnull=False).distinct().first()
    return with_terms or home or orgs.first()


@login_required
def term_calendar(request):
    org = _org_for(request)
    terms = selectors.terms_of_org(request.user, org) if org else None
    today = timezone.localdate()
    term = None
    if terms is not None:
        if request.GET.get("term"):
            term = get_object_or_404(terms, pk=query_id(request, "term"))
        else:
            current = selectors.current_term(org, today)
            term = terms.filter(pk=current.pk).first() if current else terms.first()
    context = {
        "org": org,
        "orgs": selectors.readable_orgs(request.user) if _can_switch(request.user) else None,
        "terms": terms,
        "term": term,
        "today": today,
        "can_manage": org is not None and can_manage_org(request.user, org),
        "weekday_labels": WEEKDAY_LABELS,
    }
    if term is not None:
        days = selectors.term_day_calendar(term)
        weeks = selectors.teaching_weeks(term, days)
        context.update(
            weeks=weeks,
            warning=days.warning,
            today_week=selectors.teaching_week(term, today),
            # A 年度 has no teaching weeks: its rows are dated weeks, without 第N周.
            numbered_weeks=not term.school_year.is_calendar_year,
            workdays=sum(w.workdays for w in weeks),
        )
    return render(request, "calendar/term.html", context)


def _can_switch(user) -> bool:
    return selectors.readable_orgs(user)[:2].count() > 1


@login_required
def create_school_year(request):
    org = _org_for(request)
    if org is None or not can_manage_org(request.user, org):
        raise Http404
    calendar_years = services.uses_calendar_years(org)
    form_class = CalendarYearForm if calendar_years else SchoolYearForm
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                year = services.create_school_year(org=org, **form.cleaned_data)
            except ValidationError as e:
                for message in e.messages:
                    form.add_error(None, message)
            else:
                if calendar_years:
                    done = _("已创建%(year)s。") % {"year": year}
                else:
                    done = _("已创建%(year)s及其两个学期。") % {"year": year}
                messages.success(request, done)
                return redirect(f"{reverse('calendar:term')}?{urlencode({'org': org.code})}")
    else:
        form = form_class(initial={"start_year": services.year_of(org, timezone.localdate())})
    context = {"form": form, "org": org, "calendar_years": calendar_years}
    return render(request, "calendar/school_year_form.html", context)
