"""The exam's 质量分析会: scheduled from the exam page by the office (the whole grade or a
subject) or a 教研组长 (their subject), as a single 例会 of keshi.groupwork whose attendees are
the 任课教师. Sign-in, closing and the minutes happen on the groupwork session page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.exams import selectors, services
from keshi.exams.forms import QualityMeetingForm
from keshi.exams.views import _exam_or_404
from keshi.org.models import Person
from keshi.org.scoping import scope_for
from keshi.records.forms import add_errors


def _chair(user) -> Person | None:
    """Whoever schedules the meeting chairs it (and attends): the 教研组长 then manages its
    session as a group lead does; an office login without a staff record adds no one."""
    person_id = scope_for(user).person_id
    return Person.objects.filter(pk=person_id).first() if person_id else None


GRADE_CHOICE = "*"  # the form's value for the whole grade (a choice cannot be empty)


def _choice(subject: str) -> tuple[str, str]:
    if subject == selectors.WHOLE_GRADE:
        return GRADE_CHOICE, _("全年级（全部学科）")
    return subject, subject


@login_required
def meeting_new(request, pk: int):
    exam = _exam_or_404(request.user, pk)
    allowed = selectors.meeting_subjects(request.user, exam)
    if not allowed:
        raise PermissionDenied(_("只有教务处（教科室）和本学科的教研组长可以安排质量分析会。"))
    if exam.scores_imported_at is None:
        messages.error(request, _("请先导入成绩，再安排质量分析会。"))
        return redirect("exams:detail", exam.pk)
    taken = set(exam.quality_meetings.values_list("subject", flat=True))
    choices = [_choice(s) for s in allowed if s not in taken]
    if not choices:
        messages.info(request, _("您能安排的质量分析会都已安排。"))
        return redirect("exams:detail", exam.pk)
    first = choices[0][0]
    first_subject = "" if first == GRADE_CHOICE else first
    form = QualityMeetingForm(
        request.POST or None,
        subjects=choices,
        initial={
            "subject": first,
            "title": selectors.meeting_title(exam, first_subject),
            "day": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        subject = "" if d["subject"] == GRADE_CHOICE else d["subject"]
        title = d["title"]
        if d["subject"] != first and title == selectors.meeting_title(exam, first_subject):
            title = ""  # the prefilled name of another choice: name it after the one taken
        try:
            meeting = services.schedule_quality_meeting(
                exam=exam,
                subject=subject,
                day=d["day"],
                start_time=d["start_time"],
                end_time=d["end_time"],
                place=d["place"],
                title=title,
                chair=_chair(request.user),
                by=request.user,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            n = selectors.roll_of(meeting.session).expected
            messages.success(
                request, _("已安排质量分析会，应到 %(n)d 人；签到在会议页进行。") % {"n": n}
            )
            return redirect("exams:detail", exam.pk)
    return render(
        request,
        "exams/form.html",
        {"form": form, "exam": exam, "title": _("安排质量分析会")},
    )
