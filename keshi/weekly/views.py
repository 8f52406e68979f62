"""每周工作安排 pages: the week's sheet, notes per day, publishing, Word and a print view."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.calendar import selectors as cal
from keshi.calendar.models import Term
from keshi.documents.http import download
from keshi.org.scoping import can_manage_org, visible
from keshi.web.params import query_id
from keshi.weekly import documents, selectors, services
from keshi.weekly.forms import NotesForm


@login_required
def index(request):
    """``?org=CODE&term=ID&week=N`` (all optional) → that week's page; by default the user's
    org, its current term and this week (the first week before the term starts)."""
    code = request.GET.get("org")
    term_id, week = query_id(request, "term"), query_id(request, "week")
    if (request.GET.get("term") and not term_id) or (request.GET.get("week") and not week):
        raise Http404
    org, term = selectors.chosen(request.user, code, term_id)
    if term is None:
        if term_id or (code and org is None):
            raise Http404
        return render(request, "weekly/no_term.html", {"org": org})
    number = week or selectors.default_week(term)
    return redirect("weekly:week", term=term.pk, week=number)


def _term_week(request, term: int, week: int):
    found = get_object_or_404(
        visible(request.user, Term.objects.select_related("school_year__org")), pk=term
    )
    weeks = cal.teaching_weeks(found)
    teaching_week = next((w for w in weeks if w.number == week), None)
    if teaching_week is None:
        raise Http404
    return found.school_year.org, found, teaching_week, weeks


def _context(request, term: int, week: int) -> dict:
    org, term_obj, teaching_week, weeks = _term_week(request, term, week)
    user = request.user
    schedule = selectors.schedule_of(org, term_obj, week)
    reader = selectors.may_read_drafts(user, org)
    published = bool(schedule and schedule.is_published)
    return {
        "org": org,
        "term": term_obj,
        "week": teaching_week,
        "weeks": weeks,
        "prev": week - 1 if week > 1 else None,
        "next": week + 1 if week < len(weeks) else None,
        "schedule": schedule,
        "published": published,
        "is_reader": reader,
        "is_office": can_manage_org(user, org),
        "sheet": selectors.build_sheet(org, term_obj, teaching_week, schedule)
        if published or reader
        else None,
        "this_week": cal.teaching_week(term_obj, timezone.localdate()),
        "today": timezone.localdate(),
    }


@login_required
def week_page(request, term: int, week: int):
    return render(request, "weekly/week.html", _context(request, term, week))


@login_required
def print_view(request, term: int, week: int):
    context = _context(request, term, week)
    if context["sheet"] is None:
        raise Http404
    context["printed_at"] = timezone.localtime()
    return render(request, "weekly/print.html", context)


@login_required
def week_docx(request, term: int, week: int):
    context = _context(request, term, week)
    sheet = context["sheet"]
    if sheet is None:
        raise Http404
    return download(documents.sheet_docx(sheet), f"{sheet.title}.docx")


@login_required
def notes(request, term: int, week: int):
    context = _context(request, term, week)
    org = context["org"]
    if not context["is_office"]:
        raise PermissionDenied
    days = context["sheet"].days
    form = NotesForm(request.POST or None, days=days)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_notes(
                org=org,
                term=context["term"],
                week=week,
                days=[d.date for d in days],
                notes=form.notes(),
                by=request.user,
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("备注已保存。"))
            return redirect("weekly:week", term=term, week=week)
    context["form"] = form
    return render(request, "weekly/notes.html", context)


@login_required
@require_POST
def publish(request, term: int, week: int):
    org, term_obj, _week, _weeks = _term_week(request, term, week)
    if request.POST.get("action") == "withdraw":
        services.withdraw(org=org, term=term_obj, week=week, by=request.user)
        messages.success(request, _("已撤回，教师暂时看不到本周工作安排。"))
    else:
        title = _("第%(week)d周工作安排已发布") % {"week": week}
        services.publish(org=org, term=term_obj, week=week, by=request.user, title=title)
        messages.success(request, _("已发布：全体教职工可以查看，并同步到订阅的日历。"))
    return redirect(reverse("weekly:week", kwargs={"term": term, "week": week}))
