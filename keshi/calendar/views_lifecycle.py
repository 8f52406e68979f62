"""Pages for 学年与学期的更替 (office staff only): start the next term, close and reopen one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from keshi.calendar import lifecycle, selectors
from keshi.calendar import lifecycle_selectors as LS
from keshi.calendar import lifecycle_services as services
from keshi.calendar.forms import NextCalendarYearForm, NextTermForm, NextYearForm, ReopenForm
from keshi.calendar.lifecycle import Action, Section
from keshi.calendar.models import Term
from keshi.calendar.views import _org_for
from keshi.org.scoping import can_manage_org, visible

SECTION_TITLES = {
    Section.GROUPS: gettext_lazy("备课组与年级组（按学年安排成员）"),
    Section.PAIRS: gettext_lazy("师徒结对"),
    Section.RULES: gettext_lazy("量化要求"),
}


def _calendar_url(term: Term) -> str:
    query = urlencode({"org": term.school_year.org.code, "term": term.pk})
    return f"{reverse('calendar:term')}?{query}"


@login_required
def start_next(request):
    org = _org_for(request)
    if org is None:
        raise Http404
    if not can_manage_org(request.user, org):
        raise PermissionDenied(_("只有本单位教科室可以更替学期。"))
    current = selectors.current_term(org)
    if current is None:
        messages.info(request, _("还没有学期：请先新建学年和学期。"))
        return redirect(f"{reverse('calendar:create_year')}?{urlencode({'org': org.code})}")
    step = LS.next_step(org, current)
    if step.calendar_year:
        form_class = NextCalendarYearForm
    else:
        form_class = NextYearForm if step.new_year else NextTermForm
    posted = request.method == "POST"
    form = form_class(request.POST if posted else None, initial=step.proposed)
    context = {"org": org, "step": step, "form": form}
    if not (posted and form.is_valid()):
        return render(request, "calendar/next_form.html", context, status=400 if posted else 200)
    dates = form.cleaned_data
    try:
        services.check_dates(step, dates)
    except ValidationError as e:
        form.add_error(None, e)
        return render(request, "calendar/next_form.html", context, status=400)
    items = LS.review_items(step, dates)
    errors: list[str] = []
    try:
        chosen = lifecycle.decisions(items, request.POST)
    except ValueError:
        chosen = lifecycle.decisions(items, {})
        errors.append(_("数量和分值须是数字。"))
    if request.POST.get("stage") == "confirm" and not errors:
        try:
            outcome = services.start_next(user=request.user, step=step, dates=dates, chosen=chosen)
        except ValidationError as e:
            errors += e.messages
        else:
            tally = [(SECTION_TITLES[s], outcome.counts[s]) for s in _sections(step)]
            context.update(outcome=outcome, tally=tally)
            return render(request, "calendar/next_done.html", context)
    context.update(_review(step, items, chosen), errors=errors)
    context["dates"] = [(name, dates[name].isoformat()) for name in step.fields]
    context["target"] = step.target_dates(dates)
    return render(request, "calendar/next_review.html", context, status=400 if errors else 200)


def _sections(step: LS.NextStep) -> list[Section]:
    return [s for s in Section if step.new_year or s is not Section.GROUPS]


def _review(step: LS.NextStep, items, chosen) -> dict:
    counts = lifecycle.counts(items, chosen)
    sections = [
        {
            "key": s.value,
            "title": SECTION_TITLES[s],
            "counts": counts[s],
            "rows": [(i, chosen[i.name]) for i in items if i.section is s],
        }
        for s in _sections(step)
    ]
    return {"sections": sections, "actions": list(Action)}


def _managed_term(request, pk: int) -> Term:
    terms = visible(request.user, Term.objects.select_related("school_year__org", "closed_by"))
    term = get_object_or_404(terms, pk=pk)
    if not can_manage_org(request.user, term.school_year.org):
        raise PermissionDenied(_("只有本单位教科室可以关闭或重新开放学期。"))
    return term


def _events(term: Term):
    return (
        term.history.filter(history_change_reason__isnull=False)
        .select_related("history_user")
        .order_by("-history_date")[:20]
    )


@login_required
def close_term(request, pk: int):
    term = _managed_term(request, pk)
    if request.method == "POST":
        services.close_term(user=request.user, term=term)
        messages.success(request, _("已关闭%(term)s：其中的数据只能查看。") % {"term": term})
        return redirect(_calendar_url(term))
    context = {
        "term": term,
        "plans": services.term_plans(term).order_by("title"),
        "events": _events(term),
    }
    return render(request, "calendar/term_close.html", context)


@login_required
def reopen_term(request, pk: int):
    term = _managed_term(request, pk)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reopen_term(user=request.user, term=term, reason=form.cleaned_data["reason"])
        messages.success(request, _("已重新开放%(term)s。") % {"term": term})
        return redirect(_calendar_url(term))
    context = {"term": term, "form": form, "events": _events(term)}
    return render(request, "calendar/term_reopen.html", context)
