"""Plan import from Word or text, and the review of the requirements it suggests."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from keshi.calendar.selectors import current_term
from keshi.org.models import Org
from keshi.org.scoping import can_manage_org, manageable
from keshi.plans import imports, selectors, services
from keshi.plans.forms import DismissForm, ImportForm, PlanForm
from keshi.plans.meeting_offer import meeting_offer
from keshi.plans.models import Plan, Suggestion
from keshi.plans.views import (
    _apply,
    _managed_org,
    _managed_plan,
    _plan,
    _plan_values,
)
from keshi.rules.forms import RequirementForm

PAGE_SIZE = 20
PREVIEW_REQUIREMENTS = 50  # per page of the import preview; its other lists show 200 at most
S = Suggestion


# ---- import --------------------------------------------------------------------------------

SESSION_KEY = "plan_uploads"
UPLOAD_MAX_AGE = 24 * 3600
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "plan-uploads"


def _save_upload(request, org: Org, name: str, data: bytes) -> str:
    directory = _upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - UPLOAD_MAX_AGE
    for old in directory.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (directory / token).write_bytes(data)
    (directory / token).chmod(0o600)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {"org": org.pk, "name": name}
    request.session[SESSION_KEY] = uploads
    return token


def _load_upload(request, token: str) -> tuple[dict, Org, bytes]:
    meta = request.session.get(SESSION_KEY, {}).get(token)
    path = _upload_dir() / token
    if not _TOKEN.fullmatch(token) or meta is None or not path.exists():
        raise Http404(_("上传的计划已过期，请重新上传。"))
    org = get_object_or_404(Org, pk=meta["org"])
    if not can_manage_org(request.user, org):
        raise PermissionDenied
    return meta, org, path.read_bytes()


def _forget_upload(request, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    (_upload_dir() / token).unlink(missing_ok=True)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    org = _managed_org(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(imports.MAX_BYTES + 1)
        try:
            imports.read_plan(upload.name, data)
        except imports.ImportRejected as error:
            form.add_error("file", str(error))
        else:
            return redirect(
                "plans:import_preview", token=_save_upload(request, org, upload.name, data)
            )
    orgs = manageable(request.user, Org.objects.all()).order_by("path")
    return render(request, "plans/import_upload.html", {"form": form, "org": org, "orgs": orgs})


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, token: str):
    meta, org, data = _load_upload(request, token)
    try:
        reading = imports.read_plan(meta["name"], data)
    except imports.ImportRejected as error:
        _forget_upload(request, token)
        messages.error(request, str(error))
        return redirect("plans:import")
    initial = {"title": reading.title, "term": current_term(org)}
    if reading.horizon == "year" and initial["term"]:
        initial = {"title": reading.title, "school_year": initial["term"].school_year}
    form = PlanForm(request.POST or None, org=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            plan = imports.import_plan(
                org=org,
                user=request.user,
                extraction=reading.extraction,
                source_name=meta["name"],
                **_plan_values(form),
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            _forget_upload(request, token)
            messages.success(
                request,
                _("已导入计划（草稿）：%(n)s 条识别出的要求待确认。")
                % {"n": plan.suggestions.filter(kind=S.Kind.REQUIREMENT).count()},
            )
            return redirect("plans:suggestions", pk=plan.pk)
    preview = imports.build_preview(reading.extraction, org)
    page = Paginator(preview.requirements, PREVIEW_REQUIREMENTS).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/import_preview.html",
        {"form": form, "org": org, "meta": meta, "preview": preview, "page": page, "token": token},
    )


# ---- suggestions ---------------------------------------------------------------------------


def _readable_whole(request, pk: int) -> Plan:
    plan = _plan(request, pk)
    if not selectors.can_read_whole(request.user, plan):
        raise PermissionDenied
    return plan


@login_required
def suggestions(request, pk: int):
    plan = _readable_whole(request, pk)
    lookup = imports.Lookup.for_org(plan.org)
    pending = list(selectors.suggestions_of(plan, kind=S.Kind.REQUIREMENT, status="pending"))
    texts = list(plan.sections.values_list("body", flat=True))
    for s in pending:
        s.proposal = imports.propose(s.data, lookup=lookup, org=plan.org, plan=plan)
        s.labels = imports.labels(s.data, lookup)
        s.context = selectors.in_context(texts, s.source)
    return render(
        request,
        "plans/suggestion_list.html",
        {
            "plan": plan,
            "pending": pending,
            "done": selectors.suggestions_of(plan, kind=S.Kind.REQUIREMENT).exclude(
                status=S.Status.PENDING
            ),
            "targets": selectors.suggestions_of(plan, kind=S.Kind.TARGET),
            "can_manage": can_manage_org(request.user, plan.org),
            "clean_count": sum(1 for s in pending if not s.proposal.problems),
        },
    )


def _pending_suggestion(request, pk: int, suggestion_id: int) -> tuple[Plan, Suggestion]:
    plan = _managed_plan(request, pk)
    suggestion = get_object_or_404(Suggestion, plan=plan, pk=suggestion_id)
    return plan, suggestion


@login_required
@require_http_methods(["GET", "POST"])
def suggestion_accept(request, pk: int, suggestion_id: int):
    plan, suggestion = _pending_suggestion(request, pk, suggestion_id)
    if suggestion.status != S.Status.PENDING or suggestion.kind != S.Kind.REQUIREMENT:
        messages.info(request, _("该建议已处理或不能转为量化要求。"))
        return redirect("plans:suggestions", pk=plan.pk)
    proposal = imports.propose(
        suggestion.data, lookup=imports.Lookup.for_org(plan.org), org=plan.org, plan=plan
    )
    if proposal.event:
        return _accept_event(request, plan, suggestion, proposal)
    initial = dict(proposal.values)
    form = RequirementForm(request.POST or None, org=plan.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            requirement = services.accept_suggestion(
                suggestion=suggestion, user=request.user, **form.values()
            )
        except ValidationError as error:
            _apply(form, error)
        else:
            messages.success(request, _("已采纳为量化要求“%(n)s”。") % {"n": requirement.name})
            return redirect("plans:suggestions", pk=plan.pk)
    return render(
        request,
        "plans/suggestion_accept.html",
        {"plan": plan, "suggestion": suggestion, "proposal": proposal, "form": form},
    )


def _accept_event(request, plan: Plan, suggestion: Suggestion, proposal):
    """The org's own event: confirming adds 行事历 items, no requirement. A 例会 (组长会,
    行政碰头会…) may go on to the groupwork page that sets it up, prefilled from the clause."""
    offer = meeting_offer(suggestion.source, suggestion.data.get("period"))
    if request.method == "POST":
        try:
            items = services.accept_event(suggestion=suggestion, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("已加入行事历：%(n)d 条。") % {"n": len(items)})
            if offer and request.POST.get("meeting"):
                return redirect(f"{reverse('groupwork:meeting_create')}?{urlencode(offer)}")
            return redirect("plans:suggestions", pk=plan.pk)
    return render(
        request,
        "plans/suggestion_accept.html",
        {
            "plan": plan,
            "suggestion": suggestion,
            "proposal": proposal,
            "form": None,
            "meeting_offer": offer,
        },
    )


@login_required
@require_POST
def suggestion_dismiss(request, pk: int, suggestion_id: int):
    plan, suggestion = _pending_suggestion(request, pk, suggestion_id)
    form = DismissForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.dismiss_suggestion(suggestion=suggestion, user=request.user, note=note)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("已忽略：%(s)s") % {"s": suggestion.source[:30]})
    return redirect("plans:suggestions", pk=plan.pk)


@login_required
@require_POST
def suggestion_accept_all(request, pk: int):
    plan = _managed_plan(request, pk)
    result = services.accept_all(plan=plan, user=request.user)
    messages.success(
        request,
        _(
            "已采纳 %(a)s 条（其中 %(e)s 条是全校活动，已加入行事历）；%(h)s 条需要人工确认（见下表的提示）。"
        )
        % {
            "a": len(result.accepted) + len(result.events),
            "e": len(result.events),
            "h": len(result.needs_human),
        },
    )
    return redirect("plans:suggestions", pk=plan.pk)
