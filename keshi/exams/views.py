"""Exam pages. An exam the user may not read is a 404; one they may read but not change is a
403. A paper the user may not open (confidential before the exam starts) is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from keshi.calendar.selectors import home_org
from keshi.documents.http import XLSX, download, stored_file
from keshi.exams import selectors, services
from keshi.exams.analysis import GRADE
from keshi.exams.forms import (
    AssignForm,
    ClassesForm,
    ExamForm,
    NotesForm,
    PaperAnalysisForm,
    ReviewForm,
    SubjectForm,
    TeachersForm,
    VersionForm,
)
from keshi.exams.models import ClassTeacher, ExamSubject, PaperVersion, SchoolClass
from keshi.exams.reports import class_rows, report_docx, tables_xlsx, teacher_rows
from keshi.org.models import Person
from keshi.org.scoping import can_manage_org, can_read_org, scope_for


def _exam_or_404(user, pk: int):
    exam = selectors.exam_for(user, pk)
    if exam is None:
        raise Http404(_("没有这次考试，或您无权查看。"))
    return exam


def _managed_exam(user, pk: int):
    exam = _exam_or_404(user, pk)
    if not selectors.can_manage(user, exam):
        raise PermissionDenied
    return exam


@login_required
def index(request):
    org = home_org(request.user)
    return render(
        request,
        "exams/list.html",
        {
            "exams": selectors.exams_for(request.user).order_by("-start_date", "-pk")[:100],
            "may_create": org is not None and can_manage_org(request.user, org),
        },
    )


@login_required
def create(request):
    org = home_org(request.user)
    if org is None or not can_manage_org(request.user, org):
        raise PermissionDenied
    form = ExamForm(request.POST or None, org=org)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            exam = services.create_exam(
                org=org,
                term=d["term"],
                name=d["name"],
                kind=d["kind"],
                grade=d["grade"],
                start_date=d["start_date"],
                end_date=d["end_date"],
                subjects=d["subjects"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("考试已建立"))
            return redirect("exams:detail", exam.pk)
    return render(request, "exams/form.html", {"form": form, "title": _("新建考试")})


@login_required
def detail(request, pk: int):
    exam = _exam_or_404(request.user, pk)
    papers = {
        p.subject_id: p for p in selectors.papers_for(request.user).filter(subject__exam=exam)
    }
    subjects = list(exam.subjects.all())
    classes = list(selectors.classes_of(exam).prefetch_related("teachers__person"))
    for c in classes:
        by_subject = {t.subject: t.person for t in c.teachers.all()}
        c.row = [by_subject.get(s.subject) for s in subjects]
    for s in subjects:
        s.visible_paper = papers.get(s.pk)
    may_analyse = selectors.may_read_analysis(request.user, exam)
    schedulable = selectors.meeting_subjects(request.user, exam)
    meetings = selectors.quality_meetings(exam) if may_analyse or schedulable else None
    taken = {m.meeting.subject for m in meetings or []}
    return render(
        request,
        "exams/detail.html",
        {
            "exam": exam,
            "subjects": subjects,
            "classes": classes,
            "may_manage": selectors.can_manage(request.user, exam),
            "may_analyse": may_analyse,
            "is_teacher": selectors.is_exam_teacher(request.user, exam),
            "meetings": meetings,
            "may_schedule": any(s not in taken for s in schedulable),
        },
    )


@login_required
def delete(request, pk: int):
    exam = _managed_exam(request.user, pk)
    scores = exam.subjects.filter(scores__isnull=False).exists()
    if request.method == "POST" and (not scores or request.POST.get("confirm") == exam.name):
        services.delete_exam(exam=exam, by=request.user)
        messages.success(request, _("考试已删除"))
        return redirect("exams:index")
    return render(
        request,
        "exams/delete.html",
        {"exam": exam, "scores": scores, "failed": request.method == "POST"},
    )


@login_required
def subject_edit(request, pk: int):
    subject = get_object_or_404(ExamSubject, pk=pk)
    exam = _managed_exam(request.user, subject.exam_id)
    form = SubjectForm(request.POST or None, instance=subject)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("已保存"))
        return redirect("exams:detail", exam.pk)
    return render(
        request,
        "exams/form.html",
        {"form": form, "exam": exam, "title": _("%(s)s：满分与分数线") % {"s": subject.subject}},
    )


@login_required
def classes(request, pk: int):
    exam = _managed_exam(request.user, pk)
    form = ClassesForm(request.POST or None)
    if request.method == "POST" and request.POST.get("from_timetable"):
        made = services.classes_from_timetable(exam=exam)
        messages.success(request, _("已从课表生成班级，安排任课教师 %(n)s 项") % {"n": made})
        return redirect("exams:detail", exam.pk)
    if request.method == "POST" and form.is_valid():
        services.add_classes(
            org=exam.org, term=exam.term, grade=exam.grade, names=form.cleaned_data["names"]
        )
        messages.success(request, _("班级已保存"))
        return redirect("exams:detail", exam.pk)
    return render(request, "exams/classes.html", {"form": form, "exam": exam})


@login_required
def class_teachers(request, pk: int, class_id: int):
    exam = _managed_exam(request.user, pk)
    school_class = get_object_or_404(selectors.classes_of(exam), pk=class_id)
    subjects = list(exam.subjects.values_list("subject", flat=True))
    current = {t.subject: t.person for t in ClassTeacher.objects.filter(school_class=school_class)}
    form = TeachersForm(
        request.POST or None, org=exam.org, subjects=subjects, initial_people=current
    )
    if request.method == "POST" and form.is_valid():
        services.set_teachers(school_class=school_class, teachers=form.teachers())
        messages.success(request, _("任课教师已保存"))
        return redirect("exams:detail", exam.pk)
    return render(
        request,
        "exams/form.html",
        {"form": form, "exam": exam, "title": _("%(c)s 任课教师") % {"c": school_class.name}},
    )


@login_required
def assign(request, pk: int):
    subject = get_object_or_404(ExamSubject, pk=pk)
    exam = _managed_exam(request.user, subject.exam_id)
    paper = getattr(subject, "paper", None)
    initial = (
        {
            "setter": paper.setter,
            "reviewer": paper.reviewer,
            "submit_due": paper.submit_due,
            "review_due": paper.review_due,
        }
        if paper
        else {}
    )
    form = AssignForm(request.POST or None, org=exam.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.assign_paper(subject=subject, **form.cleaned_data)
        messages.success(request, _("命题任务已安排"))
        return redirect("exams:detail", exam.pk)
    return render(
        request,
        "exams/form.html",
        {"form": form, "exam": exam, "title": _("%(s)s 命题与审核") % {"s": subject.subject}},
    )


def _paper_or_404(user, pk: int):
    paper = selectors.paper_for(user, pk)
    if paper is None:
        raise Http404(_("没有这份试卷，或考试开始前您无权查看。"))
    return paper


@login_required
def paper(request, pk: int):
    paper = _paper_or_404(request.user, pk)
    may_submit = selectors.may_submit(request.user, paper)
    may_review = selectors.may_review(request.user, paper)
    upload = VersionForm(prefix="v") if may_submit else None
    review = ReviewForm(prefix="r") if may_review else None
    if request.method == "POST" and request.POST.get("action") == "submit":
        if not may_submit:
            raise PermissionDenied
        upload = VersionForm(request.POST, request.FILES, prefix="v")
        if upload.is_valid():
            name, content, content_type = upload.cleaned_data["file"]
            services.submit_version(
                paper=paper,
                name=name,
                content=content,
                content_type=content_type,
                note=upload.cleaned_data["note"],
                by=request.user,
            )
            messages.success(request, _("试卷已提交，等待审核"))
            return redirect("exams:paper", paper.pk)
    elif request.method == "POST" and request.POST.get("action") == "review":
        if not may_review:
            raise PermissionDenied
        review = ReviewForm(request.POST, prefix="r")
        if review.is_valid():
            try:
                services.review_paper(
                    paper=paper,
                    comment=review.cleaned_data["comment"],
                    final=review.cleaned_data["decision"] == "final",
                    by=request.user,
                )
            except services.Refused as exc:
                review.add_error(None, str(exc))
            else:
                messages.success(request, _("审核结论已保存"))
                return redirect("exams:paper", paper.pk)
    return render(
        request,
        "exams/paper.html",
        {
            "paper": paper,
            "exam": paper.subject.exam,
            "versions": paper.versions.select_related("uploaded_by", "reviewed_by").order_by(
                "-number"
            ),
            "upload": upload,
            "review": review,
            "history": paper.history.select_related("history_user").order_by("-history_date")[:20],
        },
    )


@login_required
def version(request, pk: int):
    v = get_object_or_404(PaperVersion, pk=pk)
    _paper_or_404(request.user, v.assignment_id)
    return stored_file(v.file, v.name, v.content_type)


def _analysis_context(request, exam):
    if not selectors.may_read_analysis(request.user, exam):
        raise PermissionDenied
    result = selectors.exam_analysis(exam)
    previous = selectors.previous_exam(exam)
    return result, previous


@login_required
def analysis(request, pk: int):
    exam = _exam_or_404(request.user, pk)
    result, previous = _analysis_context(request, exam)
    subject = request.GET.get("subject")
    if subject not in result.subjects:
        subject = result.subjects[0] if result.subjects else None
    chart = {}
    rows = []
    if subject is not None and not result.classes.empty:
        table = result.classes
        per_class = table[(table["subject"] == subject) & (table["class"] != GRADE)]
        rows = class_rows(table, subject)
        bands = result.bands[
            (result.bands["subject"] == subject) & (result.bands["class"] == GRADE)
        ]
        chart = {
            "classes": list(per_class["class"]),
            "mean": [round(v, 1) for v in per_class["mean"].fillna(0)],
            "pass": [round(v * 100, 1) for v in per_class["pass_rate"].fillna(0)],
            "excellent": [round(v * 100, 1) for v in per_class["excellent_rate"].fillna(0)],
            "bands": [f"{b.lower:g}–{b.upper:g}" for b in bands.itertuples()],
            "band_counts": [int(c) for c in bands["count"]],
            "names": [_("平均分"), _("及格率%"), _("优秀率%"), _("人数")],
        }
    teachers = result.teachers
    if not teachers.empty and subject is not None:
        teachers = teachers[teachers["subject"] == subject]
    notes = NotesForm(initial={"office_notes": exam.office_notes})
    if request.method == "POST":
        if not selectors.can_manage(request.user, exam):
            raise PermissionDenied
        notes = NotesForm(request.POST)
        if notes.is_valid():
            exam.office_notes = notes.cleaned_data["office_notes"]
            exam._history_user = request.user
            exam.save(update_fields=["office_notes"])
            messages.success(request, _("已保存"))
            return redirect(request.get_full_path())
    return render(
        request,
        "exams/analysis.html",
        {
            "exam": exam,
            "subject": subject,
            "subjects": result.subjects,
            "rows": rows,
            "progress": "rank_change" in result.classes,
            "previous": previous,
            "teacher_rows": teacher_rows(teachers) if not teachers.empty else [],
            "chart": chart,
            "notes": notes if selectors.can_manage(request.user, exam) else None,
        },
    )


@login_required
def report(request, pk: int):
    exam = _exam_or_404(request.user, pk)
    result, previous = _analysis_context(request, exam)
    content = report_docx(exam=exam, result=result, previous_name=previous.name if previous else "")
    return download(content, f"{exam.name}质量分析报告.docx")


@login_required
def tables(request, pk: int):
    exam = _exam_or_404(request.user, pk)
    result, _previous = _analysis_context(request, exam)
    return download(tables_xlsx(exam=exam, result=result), f"{exam.name}质量分析.xlsx", XLSX)


@login_required
def paper_analyses(request, pk: int):
    exam = _exam_or_404(request.user, pk)
    if not selectors.may_read_analysis(request.user, exam):
        raise PermissionDenied
    owed = selectors.paper_analyses(exam)
    if not can_read_org(request.user, exam.org):  # a 任课教师 sees their own rows
        owed = [o for o in owed if o.person.pk == scope_for(request.user).person_id]
    return render(
        request,
        "exams/owed.html",
        {
            "exam": exam,
            "owed": owed,
            "due": selectors.paper_analysis_due(exam),
        },
    )


@login_required
def paper_analysis_new(request, pk: int):
    exam = _exam_or_404(request.user, pk)
    scope = scope_for(request.user)
    mine = sorted(
        set(
            ClassTeacher.objects.filter(
                school_class__in=selectors.classes_of(exam),
                person_id=scope.person_id,
                subject__in=exam.subjects.values("subject"),
            ).values_list("subject", flat=True)
        )
    )
    if not scope.person_id or not mine:
        raise PermissionDenied
    form = PaperAnalysisForm(request.POST or None, subjects=mine)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.record_paper_analysis(
            person=Person.objects.get(pk=scope.person_id),
            exam=exam,
            subject=data["subject"],
            sections=data,
            by=request.user,
        )
        messages.success(request, _("试卷分析已提交"))
        return redirect("exams:paper_analyses", exam.pk)
    return render(
        request, "exams/form.html", {"form": form, "exam": exam, "title": _("提交试卷分析")}
    )


@login_required
@require_POST
def class_delete(request, pk: int, class_id: int):
    exam = _managed_exam(request.user, pk)
    school_class = get_object_or_404(SchoolClass.objects.filter(term=exam.term), pk=class_id)
    if school_class.students.exists():
        messages.error(request, _("该班已有学生成绩，不能删除"))
    else:
        school_class.delete()
    return redirect("exams:detail", exam.pk)
