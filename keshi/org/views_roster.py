"""Roster pages: upload → preview → confirm, and the .xlsx download. Office staff only.

The uploaded file waits for the confirm under MEDIA_ROOT/roster-uploads/ with a random name;
what it belongs to (org, uploader, options) lives in the uploader's session, so nobody else
can confirm it. The confirm parses and validates the file again before writing anything.
"""

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from keshi.accounts import logins
from keshi.accounts.views_logins import keep_credentials
from keshi.org.forms import RosterUploadForm
from keshi.org.models import Org
from keshi.org.scoping import can_manage_org, manageable
from keshi.org.services import export_roster, import_roster

SESSION_KEY = "roster_uploads"
UPLOAD_MAX_AGE = 24 * 3600
_TOKEN = re.compile(r"[0-9a-f]{32}")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PREVIEW_ROWS = 100  # per page of the preview's row-by-row outcomes


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "roster-uploads"


def _save_upload(request, org: Org, upload, create_groups: bool, create_logins: bool) -> str:
    directory = _upload_dir()
    directory.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - UPLOAD_MAX_AGE
    for old in directory.iterdir():  # forgotten previews
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    path = directory / token
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    path.chmod(0o600)
    uploads = request.session.get(SESSION_KEY, {})
    uploads[token] = {
        "org": org.pk,
        "name": upload.name,
        "create_groups": create_groups,
        "create_logins": create_logins,
    }
    request.session[SESSION_KEY] = uploads
    return token


def _load_upload(request, token: str) -> tuple[dict, Org, bytes]:
    meta = request.session.get(SESSION_KEY, {}).get(token)
    if not _TOKEN.fullmatch(token) or meta is None or not (_upload_dir() / token).exists():
        raise Http404(_("上传的名册已过期，请重新上传"))
    org = get_object_or_404(Org, pk=meta["org"])
    if not can_manage_org(request.user, org):
        raise PermissionDenied
    return meta, org, (_upload_dir() / token).read_bytes()


def _forget_upload(request, token: str) -> None:
    uploads = request.session.get(SESSION_KEY, {})
    uploads.pop(token, None)
    request.session[SESSION_KEY] = uploads
    (_upload_dir() / token).unlink(missing_ok=True)


@login_required
@require_http_methods(["GET", "POST"])
def roster_import(request):
    orgs = manageable(request.user, Org.objects.all()).order_by("path")
    if not orgs.exists():
        raise PermissionDenied
    asked = request.POST.get("org") or request.GET.get("org")
    if asked:
        org = Org.objects.filter(code=asked).first()
        if org is not None and not can_manage_org(request.user, org):
            raise PermissionDenied
    form = RosterUploadForm(
        request.POST or None,
        request.FILES or None,
        orgs=orgs,
        initial={"org": asked or orgs.first().code},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        token = _save_upload(
            request, data["org"], data["file"], data["create_groups"], data["create_logins"]
        )
        return redirect("roster:preview", token=token)
    return render(request, "org/roster_import.html", {"form": form, "orgs": orgs})


@login_required
@require_http_methods(["GET", "POST"])
def roster_preview(request, token: str):
    meta, org, data = _load_upload(request, token)
    confirm = request.method == "POST"
    options = {"org": org, "filename": meta["name"], "data": data}
    options["create_groups"] = meta["create_groups"]
    credentials = []
    if confirm and meta.get("create_logins"):
        report, credentials = logins.import_roster_with_logins(by=request.user, **options)
    else:
        report = import_roster(**options, dry_run=not confirm, user=request.user)
    if report.written:
        _forget_upload(request, token)
        messages.success(
            request,
            _("名册已导入：新增 %(c)s 人，更新 %(u)s 人，不变 %(n)s 人。")
            % {"c": report.created, "u": report.updated, "n": report.unchanged},
        )
        if credentials:
            keep_credentials(request, org, credentials)
            return redirect("logins:credentials")
        return redirect(f"{reverse('roster:import')}?org={org.code}")
    page = Paginator(report.rows, PREVIEW_ROWS).get_page(request.GET.get("page"))
    context = {
        "report": report,
        "page": page,
        "org": org,
        "meta": meta,
        "token": token,
        "confirmed": confirm,
    }
    return render(request, "org/roster_preview.html", context)


@login_required
@require_GET
def roster_export(request, code: str):
    org = get_object_or_404(Org, code=code)
    if not can_manage_org(request.user, org):
        raise PermissionDenied
    response = HttpResponse(export_roster(org=org, user=request.user), content_type=XLSX)
    filename = f"roster-{org.code}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
