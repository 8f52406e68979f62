"""Contest pages. What a user may not read is a 404; what they may read but not do is a 403.
Judges reach entries only through their own assignments (by code) and get stripped copies."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.contests import selectors, services
from keshi.contests.filters import ContestFilter
from keshi.contests.forms import AssignForm, ContestForm, EntryForm, GroupEntryForm
from keshi.contests.models import Contest, Entry
from keshi.contests.strip import strip_docx
from keshi.org.models import Group, Person
from keshi.org.scoping import can_manage_org, scope_for, visible
from keshi.records.uploads import UploadLimits, UploadRejected
from keshi.web.params import query_id

PAGE_SIZE = 30

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _contest(request, pk: int) -> Contest:
    return get_object_or_404(selectors.contests_for(request.user), pk=pk)


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


@login_required
def index(request):
    filters = ContestFilter(request.GET, queryset=selectors.contests_for(request.user))
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    scope = scope_for(request.user)
    home = Person.objects.filter(pk=scope.person_id).values_list("org", flat=True).first()
    return render(
        request,
        "contests/index.html",
        {
            "page": page,
            "filters": filters,
            "judging": selectors.judge_assignments(request.user).filter(total__isnull=True).count(),
            "may_create": bool(scope.manage_paths) or scope.is_admin,
            "home": home,
        },
    )


@login_required
def new(request):
    org = _managed_home(request)
    form = ContestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        contest = services.create_contest(org=org, by=request.user, **form.cleaned_data)
        return redirect("contests:detail", contest.pk)
    return render(request, "contests/form.html", {"form": form, "heading": _("新建评比")})


def _managed_home(request):
    from keshi.accounts.models import RoleGrant

    grant = RoleGrant.objects.filter(user=request.user, role=RoleGrant.Role.OFFICE).first()
    if grant is None or not can_manage_org(request.user, grant.org):
        raise PermissionDenied(_("只有教科室可以新建评比。"))
    return grant.org


@login_required
def detail(request, pk: int):
    contest = _contest(request, pk)
    manage = selectors.may_manage(request.user, contest)
    rounds = list(contest.rounds.all()) if contest.has_rounds else []
    context = {
        "contest": contest,
        "manage": manage,
        "phases": Contest.Phase.choices,
        "phase_index": [p for p, _ in Contest.Phase.choices].index(contest.phase),
        "own": selectors.own_entries(request.user, contest),
        "judging": selectors.judge_assignments(request.user, contest),
        "may_submit": contest.phase in (Contest.Phase.SIGNUP, Contest.Phase.SUBMIT)
        and scope_for(request.user).person_id is not None,
        "entry_form": EntryForm(require_document=not contest.has_rounds),
        "rounds": rounds,
        "may_open_round": manage
        and contest.has_rounds
        and contest.phase == Contest.Phase.REVIEW
        and (not rounds or rounds[-1].closed),
    }
    if manage:
        people = visible(request.user, Person.objects.filter(org=contest.org, active=True))
        context["entries"] = selectors.managed_entries(request.user, contest)
        context["assign_form"] = AssignForm(
            people=people, initial={"per_entry": contest.judges_per_entry}
        )
        context["group_form"] = GroupEntryForm(groups=_groups(request, contest))
        context["targets"] = selectors.recommend_targets(contest)
    return render(request, "contests/detail.html", context)


@login_required
@require_POST
def submit(request, pk: int):
    contest = _contest(request, pk)
    person = Person.objects.filter(pk=scope_for(request.user).person_id).first()
    form = EntryForm(request.POST, request.FILES, require_document=not contest.has_rounds)
    if person is None:
        raise PermissionDenied(_("只有教师可以提交作品。"))
    if form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            services.submit_entry(
                contest=contest,
                person=person,
                title=form.cleaned_data["title"],
                upload_name=upload.name if upload else "",
                data=upload.read() if upload else b"",
            )
            messages.success(request, _("作品已提交。"))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("contests:detail", contest.pk)


@login_required
@require_POST
def advance(request, pk: int):
    contest = _contest(request, pk)
    try:
        services.advance(contest=contest, by=request.user)
        messages.success(request, _("已进入“%s”阶段。") % contest.get_phase_display())
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("contests:detail", contest.pk)


@login_required
@require_POST
def auto_assign(request, pk: int):
    contest = _contest(request, pk)
    if not selectors.may_manage(request.user, contest):
        raise PermissionDenied
    people = visible(request.user, Person.objects.filter(org=contest.org, active=True))
    form = AssignForm(request.POST, people=people)
    if form.is_valid():
        try:
            added = services.auto_assign(
                contest=contest,
                judges=list(form.cleaned_data["judges"]),
                per_entry=form.cleaned_data["per_entry"],
                by=request.user,
            )
            messages.success(request, _("已分配 %d 份评审任务。") % added)
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("请选择评委并填写每件作品的评委数。"))
    return redirect("contests:detail", contest.pk)


@login_required
def judge(request, pk: int):
    """A judge's list: codes only."""
    contest = _contest(request, pk)
    assignments = selectors.judge_assignments(request.user, contest)
    if not assignments.exists():
        raise Http404
    return render(request, "contests/judge.html", {"contest": contest, "assignments": assignments})


def _assignment(request, pk: int):
    return get_object_or_404(selectors.judge_assignments(request.user), pk=pk)


@login_required
def score(request, pk: int):
    assignment = _assignment(request, pk)
    contest = Contest.objects.select_related("rubric").get(pk=assignment.entry.contest_id)
    criteria = contest.criteria_list()
    values = dict(assignment.scores)
    comment = assignment.comment
    if request.method == "POST":
        values = {c.key: request.POST.get(c.key, "") for c in criteria}
        comment = request.POST.get("comment", "")
        try:
            services.save_scores(
                assignment=assignment, by=request.user, raw=values, comment=comment
            )
            messages.success(request, _("评分已保存。"))
            return redirect("contests:judge", contest.pk)
        except ValidationError as exc:
            _errors(request, exc)
    rows = [(c, values.get(c.key, "")) for c in criteria]
    return render(
        request,
        "contests/score.html",
        {
            "assignment": assignment,
            "code": assignment.entry.code,
            "contest": contest,
            "rows": rows,
            "comment": comment,
            "open": contest.phase == Contest.Phase.REVIEW,
            "docx": assignment.entry.content_type == DOCX,
        },
    )


@login_required
def judge_document(request, pk: int):
    """The blind copy; the original file name (often the author's name) is never sent."""
    assignment = _assignment(request, pk)
    entry = Entry.objects.select_related("person", "group").get(pk=assignment.entry_id)
    if not entry.document:
        raise Http404
    with entry.document.open("rb") as f:
        data = f.read()
    extension = entry.document.name.rsplit(".", 1)[-1]
    if entry.content_type == DOCX:
        try:
            limits = UploadLimits.from_settings(settings)
            data = strip_docx(data, selectors.identifying_strings(entry), limits=limits)
        except UploadRejected as exc:
            messages.error(request, _("无法生成评审副本：%(reason)s") % {"reason": exc})
            return redirect("contests:score", assignment.pk)
    response = HttpResponse(data, content_type=entry.content_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="{entry.code}.{extension}"'
    return response


@login_required
def entry_document(request, pk: int):
    """The original, for the office and the author only."""
    entry = get_object_or_404(
        visible(request.user, Entry.objects.select_related("contest__org")), pk=pk
    )
    own = entry.person_id and entry.person_id == scope_for(request.user).person_id
    if not (own or selectors.may_manage(request.user, entry.contest)) or not entry.document:
        raise Http404
    return FileResponse(
        entry.document.open("rb"), as_attachment=True, filename=entry.document_name or entry.code
    )


@login_required
def ranking(request, pk: int):
    contest = _contest(request, pk)
    if not selectors.may_see_ranking(request.user, contest):
        raise Http404
    manage = selectors.may_manage(request.user, contest)
    entries = selectors.ranking(contest)
    preview = None
    if manage and not contest.published:
        preview = services.compute_results(contest)
        preview.sort(key=lambda e: (e.rank is None, e.rank or 0, e.code))
    return render(
        request,
        "contests/ranking.html",
        {
            "contest": contest,
            "entries": preview if preview is not None else entries,
            "preview": preview is not None,
        },
    )


@login_required
@require_POST
def recommend(request, pk: int):
    entry = get_object_or_404(
        visible(request.user, Entry.objects.select_related("contest__org")), pk=pk
    )
    if not selectors.may_manage(request.user, entry.contest):
        raise Http404
    targets = selectors.recommend_targets(entry.contest)
    target = targets.filter(pk=query_id(request, "target")).first()
    if target is None:
        messages.error(request, _("请选择上级评比。"))
    else:
        try:
            services.recommend(entry=entry, target=target, by=request.user)
            messages.success(request, _("已推荐到“%s”。") % target.title)
        except ValidationError as exc:
            _errors(request, exc)
    return redirect("contests:detail", entry.contest_id)


def _groups(request, contest: Contest):
    return visible(request.user, Group.objects.filter(org=contest.org))


@login_required
@require_POST
def submit_group(request, pk: int):
    """The office enters a group (优秀教研组/备课组…) on its behalf."""
    contest = _contest(request, pk)
    if not selectors.may_manage(request.user, contest):
        raise PermissionDenied
    form = GroupEntryForm(request.POST, request.FILES, groups=_groups(request, contest))
    if form.is_valid():
        upload = form.cleaned_data["document"]
        try:
            services.submit_entry(
                contest=contest,
                group=form.cleaned_data["group"],
                title=form.cleaned_data["title"],
                upload_name=upload.name if upload else "",
                data=upload.read() if upload else b"",
            )
            messages.success(request, _("作品已提交。"))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, e)
    return redirect("contests:detail", contest.pk)
