"""师徒结对 pages, import and export: office staff manage, others read what they may."""

import io
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from keshi.calendar.services import create_school_year
from keshi.org import mentorships
from keshi.org.models import Mentorship, Person
from keshi.org.tests.factories import MentorshipFactory, PersonFactory
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.rules.models import Requirement
from keshi.rules.selectors import my_tasks
from keshi.rules.tests.factories import RequirementFactory

pytestmark = pytest.mark.django_db
LIST = reverse("org:mentorships")
NEW = reverse("org:mentorship_new")
IMPORT = reverse("org:mentorship_import")


def person(user) -> Person:
    return Person.objects.get(user=user)


def form(mentor, mentee, **extra):
    data = {"org": mentor.org_id, "mentor": mentor.pk, "mentee": mentee.pk, "subject": "语文"}
    return {**data, "start": "2026-09-01", **extra}


def sheet(
    *rows, header=("师傅工号", "师傅姓名", "徒弟工号", "徒弟姓名", "学科", "起始日期", "结束日期")
):
    workbook = Workbook()
    workbook.active.append(["2026学年青蓝工程结对名单"])  # a title row above the header
    workbook.active.append(list(header))
    for row in rows:
        workbook.active.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    out.seek(0)
    out.name = "结对.xlsx"
    return out


def test_office_adds_a_pair_that_shows_on_both_people_and_in_the_list(cast, client):
    mentor, mentee = person(cast.lead), person(cast.teacher)
    client.force_login(cast.office)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, form(mentor, mentee))
    assert response.status_code == 302
    pair = Mentorship.objects.get()
    assert (pair.mentor, pair.mentee, pair.subject, pair.start) == (
        mentor,
        mentee,
        "语文",
        date(2026, 9, 1),
    )
    assert mentee.name in client.get(LIST).content.decode()
    for p in (mentor, mentee):
        html = client.get(reverse("org:person", args=[p.pk])).content.decode()
        assert "（语文）" in html


def test_a_pair_counts_for_the_mentee_rule_at_once(cast, client):
    year = create_school_year(org=cast.school, start_year=2026)
    term = year.terms.get(number=1)
    mentor, mentee = person(cast.lead), person(cast.teacher)
    RequirementFactory(
        org=cast.school, threshold=1, kinds=[kind("observation")],
        mentorship=Requirement.Mentorship.MENTEE_OBSERVES_MENTOR,
    )  # fmt: skip
    ActivityFactory(person=mentee, observed=mentor, date=term.start)
    at = term.start.replace(day=term.start.day + 1)
    assert my_tasks(cast.office, person=mentee, term=term, at=at).items == []  # no mentor yet
    client.force_login(cast.office)
    client.post(NEW, form(mentor, mentee, start=term.start.isoformat()))
    [task] = my_tasks(cast.office, person=mentee, term=term, at=at).items
    assert task.cell.value == 1


@pytest.mark.parametrize(
    "dates, same, message",
    [
        (("2025-09-01", "2026-06-30"), True, "不能是同一人"),
        (("2025-09-01", "2025-08-01"), False, "结束日期早于起始日期"),
        (("2025-09-01", "2026-09-01"), False, "时间重叠"),  # the existing pair starts 9-1
        (("2027-01-01", ""), False, "时间重叠"),
    ],
)
def test_bad_pairs_are_refused_in_chinese(cast, client, dates, same, message):
    mentor, mentee = person(cast.lead), person(cast.teacher)
    MentorshipFactory(org=cast.school, mentor=mentor, mentee=mentee, start=date(2026, 9, 1))
    client.force_login(cast.office)
    data = form(mentor, mentor if same else mentee, start=dates[0], end=dates[1])
    response = client.post(NEW, data)
    assert response.status_code == 200 and message in response.content.decode()
    assert Mentorship.objects.count() == 1


def test_office_edits_and_ends_a_pair(cast, client):
    pair = MentorshipFactory(
        org=cast.school, mentor=person(cast.lead), mentee=person(cast.teacher), start=None
    )
    client.force_login(cast.office)
    edit = reverse("org:mentorship_edit", args=[pair.pk])
    assert client.post(edit, form(pair.mentor, pair.mentee, subject="数学")).status_code == 302
    pair.refresh_from_db()
    assert pair.subject == "数学"
    assert client.post(reverse("org:mentorship_end", args=[pair.pk])).status_code == 302
    pair.refresh_from_db()
    assert pair.end == timezone.localdate()
    assert pair.history.count() == 3  # created, edited, ended: the audit trail
    assert reverse("org:mentorship_end", args=[pair.pk]) not in client.get(LIST).content.decode()


def test_who_may_read_and_who_may_change(cast, client):
    pair = MentorshipFactory(org=cast.school, mentor=person(cast.lead), mentee=person(cast.teacher))
    edit = reverse("org:mentorship_edit", args=[pair.pk])
    end = reverse("org:mentorship_end", args=[pair.pk])
    for user in (cast.leader, cast.district, cast.lead):
        client.force_login(user)
        assert pair.mentee.name in client.get(LIST).content.decode()
        assert client.get(NEW).status_code == 403
        assert client.get(edit).status_code == 403
        assert client.post(end).status_code == 403
    client.force_login(cast.teacher)
    assert client.get(LIST).status_code == 403
    assert client.get(IMPORT).status_code == 403
    client.force_login(cast.outsider)
    assert client.get(edit).status_code in (403, 404)
    pair.refresh_from_db()
    assert pair.end is None


def test_another_schools_office_neither_sees_nor_pairs_our_people(cast, client):
    from keshi.accounts.models import RoleGrant
    from keshi.org.tests.factories import UserFactory

    other_office = UserFactory(username="other_office")
    RoleGrant.objects.create(user=other_office, org=cast.other_school, role="office")
    MentorshipFactory(org=cast.school, mentor=person(cast.lead), mentee=person(cast.teacher))
    client.force_login(other_office)
    assert person(cast.teacher).name not in client.get(LIST).content.decode()
    response = client.post(NEW, form(person(cast.lead), person(cast.other_teacher)))
    assert response.status_code == 200 and Mentorship.objects.count() == 1  # not a choice


def test_import_creates_every_pair(cast, client):
    lead, teacher, other = person(cast.lead), person(cast.teacher), person(cast.other_teacher)
    client.force_login(cast.office)
    upload = sheet(
        (lead.staff_no, lead.name, teacher.staff_no, teacher.name, "语文", "2026-09-01", None),
        (lead.staff_no, None, other.staff_no, None, None, "2026年9月", "2027-07-10"),
    )
    response = client.post(IMPORT, {"org": cast.school.pk, "file": upload})
    assert response.status_code == 302
    pairs = Mentorship.objects.order_by("mentee__name")
    assert {(p.mentor, p.mentee) for p in pairs} == {(lead, teacher), (lead, other)}
    assert Mentorship.objects.get(mentee=other).end == date(2027, 7, 10)


def test_a_bad_import_names_every_bad_row_and_writes_nothing(cast, client):
    lead, teacher, other = person(cast.lead), person(cast.teacher), person(cast.other_teacher)
    MentorshipFactory(org=cast.school, mentor=lead, mentee=other, start=date(2026, 9, 1))
    outsider = person(cast.outsider)
    client.force_login(cast.office)
    upload = sheet(
        (lead.staff_no, None, teacher.staff_no, None, None, "2026-09-01", None),  # 3: fine
        ("X999", None, teacher.staff_no, None, None, None, None),  # 4: unknown
        (lead.staff_no, None, lead.staff_no, None, None, None, None),  # 5: self
        (lead.staff_no, None, other.staff_no, None, None, "2026-10-01", None),  # 6: overlap
        (lead.staff_no, None, teacher.staff_no, None, None, "2027-01-01", None),  # 7: with 3
        (other.staff_no, None, teacher.staff_no, None, None, "2026-09-01", "2026-08-01"),  # 8
        (outsider.staff_no, None, teacher.staff_no, None, None, None, None),  # 9: other school
        (lead.staff_no, "张三", teacher.staff_no, None, None, "2025-01-01", "2025-06-30"),  # 10
    )
    response = client.post(IMPORT, {"org": cast.school.pk, "file": upload})
    html = response.content.decode()
    assert response.status_code == 200
    for row, text in [
        (4, "没有工号“X999”"),
        (5, "不能是同一人"),
        (6, "时间重叠"),
        (7, "与第3行的结对时间重叠"),
        (8, "结束日期早于起始日期"),
        (9, f"没有工号“{outsider.staff_no}”"),
        (10, "不是“张三”"),
    ]:
        assert f"第 {row} 行" in html and text in html, (row, text)
    assert "第 3 行" not in html
    assert Mentorship.objects.count() == 1


def test_import_refuses_a_sheet_without_the_two_columns(cast, client):
    client.force_login(cast.office)
    response = client.post(
        IMPORT, {"org": cast.school.pk, "file": sheet(("T1", "T2"), header=("师傅", "徒弟"))}
    )
    assert "师傅工号" in response.content.decode() and not Mentorship.objects.exists()


def test_export_round_trips_through_the_import(cast, client):
    lead, teacher = person(cast.lead), person(cast.teacher)
    other = PersonFactory(org=cast.school, name='=HYPERLINK("http://x","王")')
    MentorshipFactory(org=cast.school, mentor=lead, mentee=teacher, start=date(2026, 9, 1),
                      subject="语文")  # fmt: skip
    MentorshipFactory(org=cast.school, mentor=lead, mentee=other, start=date(2026, 9, 1),
                      end=date(2027, 7, 1))  # fmt: skip
    client.force_login(cast.office)
    response = client.get(reverse("org:mentorships_export"), {"state": "all"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == tuple(mentorships.HEADERS.values())
    assert len(rows) == 3 and all(c.data_type != "f" for r in load_workbook(
        io.BytesIO(response.content)).active.iter_rows() for c in r)  # fmt: skip
    before = sorted(Mentorship.objects.values_list("mentor", "mentee", "subject", "start", "end"))
    Mentorship.objects.all().delete()
    upload = io.BytesIO(response.content)
    upload.name = "师徒结对.xlsx"
    assert client.post(IMPORT, {"org": cast.school.pk, "file": upload}).status_code == 302
    after = sorted(Mentorship.objects.values_list("mentor", "mentee", "subject", "start", "end"))
    assert after == before


def test_list_searches_and_paginates(cast, client):
    lead = person(cast.lead)
    for i in range(30):
        MentorshipFactory(org=cast.school, mentor=lead, mentee=PersonFactory(org=cast.school,
                          name=f"徒弟{i:02d}"))  # fmt: skip
    client.force_login(cast.office)
    page = client.get(LIST).context["page"]
    assert page.paginator.count == 30 and len(page.object_list) == 25
    assert client.get(LIST, {"q": "徒弟07"}).context["page"].paginator.count == 1


def test_empty_list_says_what_to_do(cast, client):
    client.force_login(cast.office)
    html = client.get(LIST).content.decode()
    assert "还没有师徒结对" in html and NEW in html
