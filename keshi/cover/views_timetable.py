"""Pages: timetable per teacher / per class, import (upload → preview → confirm), export,
cover counts and the period settings."""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term, terms_of_org
from keshi.cover import imports, selectors
from keshi.cover.exports import counts_xlsx
from keshi.cover.forms import CoverSettingsForm, TimetableUploadForm
from keshi.cover.models import WEEKDAY_LABELS, CoverSettings, HomeroomDuty, TimetableEntry
from keshi.cover.views import current_org, org_choices
from keshi.org.models import Person
from keshi.org.scoping import can_manage_org, can_read_org, scope_for, visible
from keshi.web.params import query_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "timetable_uploads"
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _term(request, org) -> Term | None:
    terms = terms_of_org(request.user, org) if org else Term.objects.none()
    if (asked := query_id(request, "term")) and (found := terms.filter(pk=asked).first()):
        return found
    return current_term(org) if org else None


@login_required
def timetable_view(request):
    org = current_org(request)
    if org is None:
        raise Http404
    term = _term(request, org)
    scope = scope_for(request.user)
    entries = visible(request.user, TimetableEntry.objects.filter(org=org, term=term))
    person = class_name = None
    if request.GET.get("class"):
        class_name = request.GET["class"]
        entries = entries.filter(class_name=class_name)
    else:
        if asked := query_id(request, "person"):
            person = get_object_or_404(
                visible(request.user, Person.objects.filter(org=org)), pk=asked
            )
        elif scope.person_id:
            person = Person.objects.filter(pk=scope.person_id).first()
        entries = entries.filter(person=person) if person is not None else entries.none()
    entries = list(entries.select_related("person"))
    prefs = selectors.cover_settings(org)
    grid = {(e.weekday, e.period): [] for e in entries}
    for e in entries:
        grid[(e.weekday, e.period)].append(e)
    weekdays = [d for d in range(1, 8) if d <= 5 or any(e.weekday == d for e in entries)]
    rows = [
        {
            "period": p,
            "half": _("上午")
            if p <= prefs.morning_last
            else _("下午")
            if p <= prefs.afternoon_last
            else _("晚自习"),
            "cells": [grid.get((d, p), []) for d in weekdays],
        }
        for p in range(1, prefs.max_period + 1)
    ]
    reader = can_read_org(request.user, org)
    context = {
        "org": org,
        "term": term,
        "terms": terms_of_org(request.user, org),
        "person": person,
        "class_name": class_name,
        "weekdays": [(d, WEEKDAY_LABELS[d]) for d in weekdays],
        "rows": rows,
        "empty": not entries,
        "people": visible(request.user, Person.objects.filter(org=org, active=True))
        if reader
        else [],
        "classes": sorted(
            set(
                visible(
                    request.user, TimetableEntry.objects.filter(org=org, term=term)
                ).values_list("class_name", flat=True)
            )
        ),
        "homeroom": HomeroomDuty.objects.filter(term=term, class_name=class_name)
        .select_related("person")
        .first()
        if class_name
        else None,
        "may_manage": can_manage_org(request.user, org),
        "may_export": reader,
        "org_choices": org_choices(request.user),
    }
    return render(request, "cover/timetable.html", context)


def _managed_org(request):
    org = current_org(request)
    if org is None or not can_manage_org(request.user, org):
        raise PermissionDenied
    return org


def _upload_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "timetable-uploads"


@login_required
@require_http_methods(["GET", "POST"])
def timetable_import(request):
    org = _managed_org(request)
    terms = Term.objects.filter(school_year__org=org).order_by("-start")
    form = TimetableUploadForm(
        request.POST or None,
        request.FILES or None,
        terms=terms,
        initial={"term": current_term(org)},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        directory = _upload_dir()
        directory.mkdir(parents=True, exist_ok=True)
        token = secrets.token_hex(16)
        (directory / token).write_bytes(upload.read())
        uploads = request.session.get(SESSION_KEY, {})
        uploads[token] = {"org": org.pk, "term": form.cleaned_data["term"].pk, "name": upload.name}
        request.session[SESSION_KEY] = uploads
        return redirect("cover:timetable_import_preview", token=token)
    return render(request, "cover/timetable_import.html", {"form": form, "org": org})


@login_required
@require_http_methods(["GET", "POST"])
def timetable_preview(request, token: str):
    meta = request.session.get(SESSION_KEY, {}).get(token)
    path = _upload_dir() / token
    if not _TOKEN.fullmatch(token) or meta is None or not path.exists():
        raise Http404(_("上传的课表已过期，请重新上传"))
    term = get_object_or_404(Term.objects.select_related("school_year__org"), pk=meta["term"])
    org = term.school_year.org
    if org.pk != meta["org"] or not can_manage_org(request.user, org):
        raise PermissionDenied
    confirm = request.method == "POST"
    report = imports.import_timetable(
        org=org,
        term=term,
        filename=meta["name"],
        data=path.read_bytes(),
        dry_run=not confirm,
        by=request.user,
    )
    if report.written:
        path.unlink(missing_ok=True)
        request.session[SESSION_KEY] = {
            k: v for k, v in request.session.get(SESSION_KEY, {}).items() if k != token
        }
        messages.success(
            request,
            _("课表已导入：新增 %(c)s 节，更新 %(u)s 节，不变 %(n)s 节，删除 %(r)s 节。")
            % {
                "c": report.created,
                "u": report.updated,
                "n": report.unchanged,
                "r": report.removed,
            },
        )
        return redirect(f"{reverse('cover:timetable')}?term={term.pk}")
    context = {"report": report, "term": term, "org": org, "token": token, "name": meta["name"]}
    return render(request, "cover/timetable_preview.html", context)


@login_required
def timetable_export(request):
    org = current_org(request)
    if org is None or not can_read_org(request.user, org):
        raise PermissionDenied
    term = _term(request, org)
    if term is None:
        raise Http404(_("没有学期"))
    response = HttpResponse(imports.export_timetable(org=org, term=term), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="timetable-{org.code}-{term.pk}.xlsx"'
    return response


@login_required
def counts(request):
    org = current_org(request)
    if org is None or not can_read_org(request.user, org):
        raise PermissionDenied
    term = _term(request, org)
    rows = selectors.cover_counts(org, term) if term else []
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(counts_xlsx(org, term, rows), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="cover-counts-{org.code}.xlsx"'
        return response
    context = {
        "org": org,
        "term": term,
        "terms": terms_of_org(request.user, org),
        "rows": rows,
        "org_choices": org_choices(request.user),
    }
    return render(request, "cover/counts.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def settings_edit(request):
    org = _managed_org(request)
    instance = CoverSettings.objects.filter(org=org).first() or CoverSettings(org=org)
    form = CoverSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("节次设置已保存。"))
        return redirect("cover:timetable")
    return render(request, "cover/settings.html", {"form": form, "org": org})
