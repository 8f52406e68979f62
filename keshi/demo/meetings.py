"""The demo school's 例会 (keshi.groupwork.services_meetings): a weekly 行政碰头会 of the
leadership (副校长 in the chair, the 主任s) on Monday mornings, and a fortnightly 组长会 of every
group's lead chaired by the 教科室主任. Each session gone by is ticked (one or two absent, seeded)
and closed — attendance only, no records; the ones ahead wait.

Idempotent by meeting name (a meeting that exists is left as it is); only school ``demo``."""

from __future__ import annotations

import random
from datetime import date, time
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from keshi.demo.activity import demo_term
from keshi.groupwork import services, services_meetings
from keshi.groupwork.models import Audience, Every
from keshi.groupwork.selectors import members_of
from keshi.org.models import Group, Org, Person

if TYPE_CHECKING:
    from keshi.demo.services import _Writer

SEED = "keshi-demo-meetings"
LEADERSHIP = ("教务处主任", "德育处主任", "教科室主任", "年级主任")
TOPICS = {
    "行政碰头会": ("本周工作安排", "安全与值周情况通报", "期中考试组织分工", "家长会准备"),
    "组长会": ("教研活动落实情况", "期中教学检查布置", "公开课安排", "作业检查反馈"),
}


def write(w: _Writer, org: Org, today: date) -> None:
    term = demo_term(org, today)
    if term is None or org.code != "demo":
        return
    people = Person.objects.filter(org=org, active=True).order_by("staff_no")
    office = get_user_model().objects.filter(username="office").first()
    by = office or get_user_model().objects.get(username="admin")
    head = people.filter(position="教科室主任").first()
    deputy = people.filter(position="副校长").first()
    slots = [
        ("行政碰头会", Audience.PEOPLE, Every.WEEK, 0, time(7, 40), time(8, 20), "校长室",
         deputy, list(people.filter(position__in=LEADERSHIP))),
        ("组长会", Audience.GROUP_LEADS, Every.TWO_WEEKS, 3, time(16, 30), time(17, 30),
         "三楼会议室", head, []),
    ]  # fmt: skip
    for name, audience, every, weekday, start, end, place, chair, named in slots:
        if chair is None or Group.objects.filter(org=org, name=name).exists():
            continue
        meeting = services_meetings.create_meeting(
            org=org, name=name, audience=audience, term=term, weekday=weekday, every=every,
            start_time=start, end_time=end, place=place, people=named, chair=chair, by=by,
        )  # fmt: skip
        w.created["meeting"] += 1
        _hold(w, meeting, chair, today, by)


def _hold(w: _Writer, meeting, chair: Person, today: date, by) -> None:
    past = list(meeting.group.sessions.filter(date__lt=today).order_by("date"))
    topics = TOPICS[meeting.group.name]
    for i, session in enumerate(past):
        rng = random.Random(f"{SEED}:{meeting.group.name}:{session.date}")
        members = list(members_of(meeting.group, session.date).order_by("staff_no"))
        services.save_session(group=meeting.group, by=by, session=session,
                              topic=topics[i % len(topics)], host=chair)  # fmt: skip
        absent = set(rng.sample(range(len(members)), rng.choice((0, 0, 1, 2))))
        present = [p for k, p in enumerate(members) if k not in absent or p == chair]
        services.set_session_attendance(session=session, people=present, by=by)
        services.close_session(session=session, by=by)
        w.created["attendance"] += len(present)
    w.created["session"] += meeting.group.sessions.count()
