from datetime import date

import pytest

from keshi.cover import services as cover_services
from keshi.cover.models import Absence
from keshi.cover.tests.factories import lesson, make_term
from keshi.dispatch.tests.helpers import dispatch

# 第10周 of the first term 2025 (1 Sep 2025 – 16 Jan 2026): Monday 3 Nov – Sunday 9 Nov.
WEEK = 10
MON, TUE, WED, THU = date(2025, 11, 3), date(2025, 11, 4), date(2025, 11, 5), date(2025, 11, 6)


@pytest.fixture
def term(cast):
    return make_term(cast.school)


@pytest.fixture
def trip(cast, term):
    """张老师 and 李老师 sent to a three-day 跨省 training Mon–Wed; 张老师 misses two lessons,
    one covered by 王组长 (代课), one not yet arranged."""
    teacher, other, lead = (u.person for u in (cast.teacher, cast.other_teacher, cast.lead))
    first = lesson(term, teacher, 1, 2, class_name="初一(3)班", subject="语文")
    lesson(term, teacher, 3, 5, class_name="初一(4)班", subject="语文")
    trip = dispatch(
        cast,
        teacher,
        other,
        title="长三角语文核心素养研讨会",
        organiser="长三角教育发展研究院",
        level="province",
        place="浙江杭州",
        start_date=MON,
        end_date=WED,
    )
    absence = Absence.objects.get(person=teacher, reference=f"dispatch:{trip.pk}")
    cover_services.arrange_cover(
        absence=absence, entry=first, day=MON, cover_person=lead, by=cast.office, by_office=True
    )
    return trip
