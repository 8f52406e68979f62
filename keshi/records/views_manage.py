"""Reviewing, the org's own kinds, and the Excel import of records.

Review: office staff for their orgs, group leads for their members, never one's own record.
Kinds and import: office staff only. The import keeps the uploaded file under
MEDIA_ROOT/record-uploads/ with a random name between preview and confirm; the org and uploader
live in the session (as the roster import does), and the confirm validates everything again.
"""

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
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from keshi.org.models import Org
from keshi.org.scoping import can_manage_org, manageable
from keshi.records import selectors, services
from keshi.records.forms import ImportForm, KindForm, ReviewForm, add_errors, format_field_lines
from keshi.records.imports import HEADERS, import_records
from keshi.records.views import _visible_or_404
from keshi.web.params import safe_next

SESSION_KEY = "record_uploads"
UPLOAD_MAX_AGE = 24 * 3600
IMPORT_PREVIEW_ROWS = 100  # rows per page of the import preview
_TOKEN = re.compile(r"[0-9a-f]{32}")

# ---- review ---------------------------------------------------------------------------------


@login_required
@require_GET
def review_queue(request):
    if not selectors.records_for_others(request.user):
        raise PermissionDenied(_("只有组长和教科室可以审核记录。"))
    queue = selectors.review_queue(request.user).prefetch_related("attachments")
    page = Paginator(queue, 20).get_page(request.GET.get("page"))
    return render(request, "records/review.html", {"page": page, "form": ReviewForm()})


@login_required
@require_POST
def review(request, pk: int):
    activity = _visible_or_404(request.user, pk)
    if not selectors.can_review(request.user, activity):
        raise PermissionDenied(_("您不能审核这条记录。"))
    form = ReviewForm(request.POST)
    back = safe_next(request, reverse("records:review"))
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, f"{activity.person.name} · {activity.kind.label}：{e}")
        return redirect(back)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.review_activity(
            activity=activity,
            by=request.user,
            approve=approve,
            comment=form.cleaned_data["comment"],
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(back)
    done = _("已通过") if approve else _("已退回")
    messages.success(request, f"{done}：{activity.person.name} · {activity.kind.label}")
    return redirect(back)


# ---- kinds ----------------------------------------------------------------------------------


def _kind_orgs(user):
    orgs = manageable(user, Org.objects.all()).order_by("path")
    if not orgs.exists():
        raise PermissionDenied(_("只有教科室可以管理记录类型。"))
    return orgs


@login_required
@require_GET
def kind_list(request):
    orgs = _kind_orgs(request.user)
    context = {
        "builtins": selectors.builtin_kinds(orgs),
        "own": selectors.manageable_kinds(request.user).order_by("org__path", "position", "code"),
        "orgs": orgs,
    }
    return render(request, "records/kinds.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def kind_edit(request, pk: int | None = None):
    orgs = _kind_orgs(request.user)
    kind = None
    if pk is not None:
        kind = selectors.manageable_kinds(request.user).filter(pk=pk).first()
        if kind is None:
            raise Http404
        org = kind.org
    else:
        org = orgs.filter(code=request.GET.get("org", "")).first() or orgs.first()
    initial = {}
    if kind is not None:
        initial = {f: getattr(kind, f) for f in services.KIND_FIELDS if f != "fields"}
        initial["fields_text"] = format_field_lines(kind.fields)
    form = KindForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_kind(org=org, by=request.user, kind=kind, **form.values())
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("记录类型“%(label)s”已保存。") % {"label": saved.label})
            return redirect("records:kinds")
    return render(request, "records/kind_form.html", {"form": form, "kind": kind, "org": org})


# ---- import ---------------------------------------------------------------------------------


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "record-uploads"


def _save_upload(request, org: Org, upload) -> str:
    directory = _upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - UPLOAD_MAX_AGE
    for old in directory.iterdir():
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    path = directory / token
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    path.chmod(0o600)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {"org": org.pk, "name": upload.name}
    request.session[SESSION_KEY] = uploads
    return token


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    orgs = _kind_orgs(request.user)
    org = orgs.filter(code=request.POST.get("org") or request.GET.get("org") or "").first()
    org = org or orgs.first()
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        token = _save_upload(request, org, form.cleaned_data["file"])
        return redirect("records:import_preview", token=token)
    context = {"form": form, "orgs": orgs, "org": org, "headers": HEADERS}
    return render(request, "records/import.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request, token: str):
    meta = request.session.get(SESSION_KEY, {}).get(token)
    path = _upload_dir() / token
    if not _TOKEN.fullmatch(token) or meta is None or not path.exists():
        raise Http404(_("上传的文件已过期，请重新上传"))
    org = get_object_or_404(Org, pk=meta["org"])
    if not can_manage_org(request.user, org):
        raise PermissionDenied
    confirm = request.method == "POST"
    report = import_records(
        org=org,
        filename=meta["name"],
        data=path.read_bytes(),
        dry_run=not confirm,
        user=request.user,
    )
    if report.written:
        uploads = request.session.get(SESSION_KEY, {})
        uploads.pop(token, None)
        request.session[SESSION_KEY] = uploads
        path.unlink(missing_ok=True)
        messages.success(request, _("已导入 %(n)s 条记录。") % {"n": report.created})
        return redirect("records:list")
    page = Paginator(report.rows, IMPORT_PREVIEW_ROWS).get_page(request.GET.get("page"))
    context = {"report": report, "page": page, "org": org, "meta": meta, "confirmed": confirm}
    return render(request, "records/import_preview.html", context)
