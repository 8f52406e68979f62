from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.appraisal import exports, selectors, services
from keshi.appraisal.forms import ManualEntryForm, PointRuleForm
from keshi.appraisal.models import ArchiveExport, PointRule, Source
from keshi.appraisal.tasks import export_group_archives
from keshi.calendar.selectors import home_org
from keshi.org.models import Person
from keshi.org.scoping import can_manage_org, manageable, scope_for

PAGE_SIZE = 30
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _year(request):
    years = list(selectors.years_for(request.user))
    chosen = request.GET.get("year")
    year = next((y for y in years if str(y.pk) == chosen), None)
    if year is None:
        today = timezone.localdate()
        year = next((y for y in years if y.start <= today <= y.end), years[0] if years else None)
    return years, year


def _can_office(user) -> bool:
    return scope_for(user).manages


@login_required
def index(request):
    entries = selectors.entries_for(request.user)
    years, year = _year(request)
    if year is not None and request.GET.get("year") != "all":
        entries = entries.filter(date__range=(year.start, year.end))
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(person__name__contains=q)
    source = request.GET.get("source", "")
    if source in Source.values:
        entries = entries.filter(source=source)
    page = _page(request, entries)
    page.object_list = list(page.object_list)
    selectors.link_sources(request.user, page.object_list)
    return render(
        request,
        "appraisal/index.html",
        {
            "page": page,
            "years": years,
            "year": year,
            "q": q,
            "source": source,
            "sources": Source.choices,
            "can_office": _can_office(request.user),
            "me": scope_for(request.user).person_id,
            "rules": selectors.rules_for(request.user).filter(active=True),
        },
    )


@login_required
def entry_new(request):
    if not _can_office(request.user):
        raise PermissionDenied
    people = manageable(request.user, Person.objects.filter(active=True)).order_by("name")
    form = ManualEntryForm(
        request.POST or None, people=people, initial={"day": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            d = form.cleaned_data
            services.add_manual_entry(
                by=request.user,
                person=d["person"],
                day=d["day"],
                points=d["points"],
                reason=d["reason"],
            )
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, _("已登记考核分。"))
            return redirect("appraisal:index")
    return render(request, "appraisal/entry_form.html", {"form": form})


@login_required
def table(request):
    years, year = _year(request)
    by_group = request.GET.get("by") == "group"
    q = request.GET.get("q", "").strip()
    rows = selectors.annual_table(request.user, year, by_group=by_group, q=q) if year else []
    if request.GET.get("format") == "xlsx" and year is not None:
        title = _("%(year)s 学年考核汇总") % {"year": year}
        data = exports.table_xlsx(rows, title=title, first=_("教研组") if by_group else _("教师"))
        response = HttpResponse(data, content_type=XLSX)
        response["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''appraisal-{year.start_year}.xlsx"
        )
        return response
    page = _page(request, rows)
    for row in page:
        row.cells = [row.by_source.get(code) for code, _label in Source.choices]
    return render(
        request,
        "appraisal/table.html",
        {
            "page": page,
            "years": years,
            "year": year,
            "by_group": by_group,
            "q": q,
            "sources": Source.choices,
        },
    )


def _person(request, pk: int) -> Person:
    person = selectors.person_for(request.user, pk)
    if person is None:
        raise Http404
    return person


@login_required
def my_archive(request):
    pid = scope_for(request.user).person_id
    if pid is None:
        return redirect("appraisal:table")
    return redirect("appraisal:archive", pk=pid)


@login_required
def archive(request, pk: int):
    person = _person(request, pk)
    return render(
        request,
        "appraisal/archive.html",
        {
            "archive": selectors.archive_for(request.user, person),
            "labels": exports.KIND_LABELS,
            "pdf_available": exports.soffice() is not None,
        },
    )


@login_required
def archive_docx(request, pk: int):
    person = _person(request, pk)
    data = exports.archive_docx(selectors.archive_for(request.user, person))
    response = HttpResponse(data, content_type=DOCX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''archive-{person.pk}.docx"
    return response


@login_required
def archive_pdf(request, pk: int):
    person = _person(request, pk)
    pdf = exports.docx_to_pdf(exports.archive_docx(selectors.archive_for(request.user, person)))
    if pdf is None:
        return HttpResponse(
            _("服务器未安装 LibreOffice，无法生成 PDF；请下载 Word 版。"),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''archive-{person.pk}.pdf"
    return response


@login_required
def exports_page(request):
    return render(
        request,
        "appraisal/exports.html",
        {
            "groups": selectors.groups_for(request.user),
            "jobs": selectors.exports_for(request.user)[:20],
        },
    )


@login_required
@require_POST
def export_start(request, group_id: int):
    group = get_object_or_404(selectors.groups_for(request.user), pk=group_id)
    job = ArchiveExport.objects.create(org=group.org, group=group, requested_by=request.user)
    export_group_archives.enqueue(job.pk)
    return redirect("appraisal:export", pk=job.pk)


@login_required
def export_status(request, pk: int):
    job = get_object_or_404(selectors.exports_for(request.user).select_related("group"), pk=pk)
    template = (
        "appraisal/_export_status.html"
        if request.headers.get("HX-Request")
        else "appraisal/export.html"
    )
    return render(request, template, {"job": job})


@login_required
def export_download(request, pk: int):
    job = get_object_or_404(
        selectors.exports_for(request.user), pk=pk, status=ArchiveExport.Status.DONE
    )
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=f"{job.group.name}-个人档案.zip"
    )


# ---- point rules ------------------------------------------------------------------------------


def _office_org(request):
    org = home_org(request.user)
    if org is None or not can_manage_org(request.user, org):
        raise PermissionDenied(_("只有教科室可以设置加分规则。"))
    return org


@login_required
def rules(request):
    q = request.GET.get("q", "").strip()
    items = selectors.rules_for(request.user).select_related("org")
    if q:
        items = items.filter(name__contains=q)
    org = home_org(request.user)
    return render(
        request,
        "appraisal/rules.html",
        {
            "page": _page(request, items.order_by("-active", "trigger", "pk")),
            "q": q,
            "can_office": org is not None and can_manage_org(request.user, org),
        },
    )


def _rule_form(request, rule: PointRule | None, org):
    form = PointRuleForm(request.POST or None, instance=rule, org=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_rule(by=request.user, rule=form.instance)
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            messages.success(request, _("加分规则已保存。"))
            return redirect("appraisal:rules")
    heading = _("编辑加分规则") if rule else _("新建加分规则")
    return render(request, "appraisal/rule_form.html", {"form": form, "heading": heading})


@login_required
def rule_new(request):
    return _rule_form(request, None, _office_org(request))


def _rule(request, pk: int) -> PointRule:
    rule = get_object_or_404(selectors.rules_for(request.user).select_related("org"), pk=pk)
    if not can_manage_org(request.user, rule.org):
        raise PermissionDenied(_("只有教科室可以设置加分规则。"))
    return rule


@login_required
def rule_edit(request, pk: int):
    rule = _rule(request, pk)
    return _rule_form(request, rule, rule.org)


@login_required
@require_POST
def rule_toggle(request, pk: int):
    rule = _rule(request, pk)
    services.set_rule_active(by=request.user, rule=rule, active=not rule.active)
    messages.success(request, _("规则已启用。") if rule.active else _("规则已停用。"))
    return redirect("appraisal:rules")


@login_required
@require_POST
def rules_apply(request):
    result = services.apply_rules(org=_office_org(request))
    messages.success(
        request,
        _("按规则新增 %(n)d 条考核分（已有 %(m)d 条未重复登记）。")
        % {"n": result.created, "m": result.existing},
    )
    for note in result.skipped:
        messages.warning(request, note)
    return redirect("appraisal:rules")
