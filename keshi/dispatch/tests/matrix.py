"""Access-matrix objects for the dispatch pages: a dispatch of ``w.teacher`` (returned, so every
page has something to show)."""

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from keshi.calendar.models import Term
from keshi.dispatch import services
from keshi.dispatch.models import Dispatch


def objects(world) -> dict:
    term = Term.objects.filter(school_year__org=world.school).order_by("-start").first()
    start = term.end - timedelta(days=3)
    office = get_user_model().objects.get(username="office")
    d = services.create_dispatch(
        org=world.school,
        by=office,
        teachers=[world.teacher],
        direct=True,
        title="矩阵培训派遣",
        organiser="矩阵",
        level="city",
        place="矩阵",
        cross_province=True,
        start_date=start,
        end_date=start,
        hours=8,
    )
    member = d.members.get()
    back = timezone.make_aware(datetime.combine(start, time(18)))  # the training may lie ahead
    services.mark_returned(member=member, by=office, at=back)
    return {
        "dispatch": Dispatch.objects.get(pk=d.pk),
        "dispatch_member": member,
        "dispatch_obligation": d.obligations.first(),
        "notice_part": d.notice_parts.get(part=1),
    }


FILLERS = {
    "dispatch:detail": lambda w: {"pk": w.pk("dispatch")},
    "dispatch:edit": lambda w: {"pk": w.pk("dispatch")},
    "dispatch:transition": lambda w: {"pk": w.pk("dispatch")},
    "dispatch:obligation_create": lambda w: {"pk": w.pk("dispatch")},
    "dispatch:notice": lambda w: {"pk": w.pk("dispatch")},
    "dispatch:notice_docx": lambda w: {"pk": w.pk("dispatch")},
    "dispatch:mark_returned": lambda w: {"pk": w.pk("dispatch_member")},
    "dispatch:confirm_attendance": lambda w: {"pk": w.pk("dispatch_member")},
    "dispatch:record_docx": lambda w: {"pk": w.pk("dispatch_member")},
    "dispatch:obligation_edit": lambda w: {"pk": w.pk("dispatch_obligation")},
    "dispatch:obligation_file": lambda w: {"pk": w.pk("dispatch_obligation")},
    "dispatch:obligation_delete": lambda w: {"pk": w.pk("dispatch_obligation")},
    "dispatch:acknowledge": lambda w: {"pk": w.pk("notice_part")},
}

# The teacher's own dispatch: a colleague must not open any of it.
PRIVATE = {name for name in FILLERS}
