"""Score import: upload → preview → confirm (office only).

The file waits under MEDIA_ROOT/score-uploads/ with a random name; which exam it belongs to
lives in the uploader's session, so nobody else can confirm it. The confirm reads and checks
the file again before writing anything (all-or-nothing)."""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keshi.documents.archive import UploadLimits
from keshi.exams import services
from keshi.exams.forms import ScoreUploadForm
from keshi.exams.views import _managed_exam

SESSION_KEY = "score_uploads"
UPLOAD_MAX_AGE = 24 * 3600
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "score-uploads"


@login_required
@require_http_methods(["GET", "POST"])
def upload(request, pk: int):
    exam = _managed_exam(request.user, pk)
    form = ScoreUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        directory = _upload_dir()
        directory.mkdir(parents=True, exist_ok=True)
        cutoff = time.time() - UPLOAD_MAX_AGE
        for old in directory.iterdir():  # forgotten previews
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
        token = secrets.token_hex(16)
        path = directory / token
        with path.open("wb") as out:
            for chunk in form.cleaned_data["file"].chunks():
                out.write(chunk)
        path.chmod(0o600)
        uploads = request.session.get(SESSION_KEY, {})
        uploads[token] = {"exam": exam.pk, "name": form.cleaned_data["file"].name}
        request.session[SESSION_KEY] = uploads
        return redirect("exams:import_preview", token=token)
    return render(request, "exams/import.html", {"form": form, "exam": exam})


@login_required
@require_http_methods(["GET", "POST"])
def preview(request, token: str):
    meta = request.session.get(SESSION_KEY, {}).get(token)
    path = _upload_dir() / token
    if not _TOKEN.fullmatch(token) or meta is None or not path.exists():
        raise Http404(_("上传的成绩表已过期，请重新上传"))
    exam = _managed_exam(request.user, meta["exam"])
    confirm = request.method == "POST"
    report = services.import_scores(
        exam=exam,
        filename=meta["name"],
        data=path.read_bytes(),
        dry_run=not confirm,
        by=request.user,
        limits=UploadLimits.from_settings(settings),
    )
    if report.written:
        uploads = request.session.get(SESSION_KEY, {})
        uploads.pop(token, None)
        request.session[SESSION_KEY] = uploads
        path.unlink(missing_ok=True)
        messages.success(
            request,
            _("成绩已导入：%(n)s 名学生，%(s)s 项成绩。")
            % {"n": len(report.parsed.rows), "s": report.scores},
        )
        return redirect("exams:analysis", exam.pk)
    return render(
        request,
        "exams/import_preview.html",
        {"exam": exam, "report": report, "token": token, "name": meta["name"]},
    )
