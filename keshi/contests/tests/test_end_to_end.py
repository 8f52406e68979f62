"""Issue 6, "done when": a contest runs end to end with blind judging by three judges —
trimmed mean, a tie, quotas, a notice period — and publishes results whose points appear in the
ledger and in the personal archive (page and .docx). Driven through the pages where there is
one, as the office, the authors and the judges would."""

import io
from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from docx import Document

from keshi.appraisal.models import PointEntry, PointRule
from keshi.contests.models import Assignment, Contest, Entry
from keshi.contests.tests.factories import docx_by, judges, person, rubric
from keshi.org.tests.factories import PersonFactory, UserFactory


def test_contest_end_to_end_through_the_pages(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    for level, points, reimbursable in (
        ("first", "1", True),
        ("second", "0.5", True),
        ("third", "0.3", True),
        ("merit", "0.1", False),
    ):
        PointRule.objects.create(
            org=cast.school,
            name=f"评比{level}",
            trigger=PointRule.Trigger.CONTEST_AWARD,
            award_level=level,
            points=Decimal(points),
            reimbursable=reimbursable,
            reimbursement_note="参赛费可报销" if reimbursable else "",
        )
    r = rubric(cast.school)

    # the office creates the contest: trimmed mean, quotas 1/1/1 + 1 merit, a notice period
    client.force_login(cast.office)
    response = client.post(
        reverse("contests:new"),
        {
            "title": "2026 年教学论文评比",
            "kind": "paper",
            "rubric": r.pk,
            "notice_start": today.isoformat(),
            "result_date": (today + timedelta(days=7)).isoformat(),
            "aggregation": "trimmed_mean",
            "judges_per_entry": 3,
            "quota_first": 1,
            "quota_second": 1,
            "quota_third": 1,
            "quota_merit": 1,
        },
    )
    assert response.status_code == 302, response.content.decode()
    c = Contest.objects.get()

    # four authors submit through the page
    fifth = UserFactory(username="teacher5")
    PersonFactory(org=cast.school, name="陈老师", user=fifth)
    authors = [cast.teacher, cast.other_teacher, cast.lead, fifth]
    for user in authors:
        client.force_login(user)
        name = person(user).name
        client.post(
            reverse("contests:submit", args=[c.pk]),
            {"title": f"{name}的论文", "document": _upload(name)},
        )
    assert c.entries.count() == 4

    # three judges (none an author), assigned automatically
    js = judges(cast, 3)
    client.force_login(cast.office)
    client.post(reverse("contests:advance", args=[c.pk]))  # 提交
    client.post(
        reverse("contests:assign", args=[c.pk]),
        {"judges": [person(u).pk for u in js], "per_entry": 3},
    )
    assert Assignment.objects.filter(entry__contest=c).count() == 12
    client.post(reverse("contests:advance", args=[c.pk]))  # 评审
    c.refresh_from_db()
    assert c.phase == "review" and c.rubric_frozen

    # judges score blind: 张 95/80/10 → 80 (trimmed), 李 80/80/80 → 80 (tie), 王 70, 陈 60
    plan = {
        "张老师": (57, 38, 48, 32, 6, 4),
        "李老师": (48, 32, 48, 32, 48, 32),
        "王组长": (42, 28, 42, 28, 42, 28),
        "陈老师": (36, 24, 36, 24, 36, 24),
    }
    for i, user in enumerate(js):
        client.force_login(user)
        page = client.get(reverse("contests:judge", args=[c.pk])).content.decode()
        for a in Assignment.objects.filter(judge__user=user).select_related("entry__person"):
            assert a.entry.code in page
            c1, c2 = plan[a.entry.person.name][2 * i : 2 * i + 2]
            client.post(reverse("contests:score", args=[a.pk]), {"c1": c1, "c2": c2})
        for name in plan:
            assert name not in page
    assert not Assignment.objects.filter(total__isnull=True).exists()

    # 公示: ranks, the tie at the quota line gets the higher award for both
    client.force_login(cast.office)
    client.post(reverse("contests:advance", args=[c.pk]))
    got = {
        e.person.name: (e.score, e.rank, e.get_award_display())
        for e in Entry.objects.select_related("person")
    }
    assert got == {
        "张老师": (Decimal("80.00"), 1, "一等奖"),
        "李老师": (Decimal("80.00"), 1, "一等奖"),
        "王组长": (Decimal("70.00"), 3, "三等奖"),
        "陈老师": (Decimal("60.00"), 4, "优秀奖"),
    }
    client.force_login(cast.other_teacher)
    notice = client.get(reverse("contests:ranking", args=[c.pk])).content.decode()
    assert "评比结果公示" in notice and "陈老师" in notice
    assert not PointEntry.objects.exists()  # nothing granted during the notice period

    # the notice period must run out before the results are published
    client.force_login(cast.office)
    response = client.post(reverse("contests:advance", args=[c.pk]), follow=True)
    assert "公示期未满" in response.content.decode()
    Contest.objects.filter(pk=c.pk).update(result_date=today)
    client.post(reverse("contests:advance", args=[c.pk]))
    c.refresh_from_db()
    assert c.phase == "result"

    # → the ledger
    ledger = {
        e.person.name: (e.points, e.rule.reimbursable)
        for e in PointEntry.objects.select_related("person", "rule")
    }
    assert ledger == {
        "张老师": (Decimal("1.00"), True),
        "李老师": (Decimal("1.00"), True),
        "王组长": (Decimal("0.30"), True),
        "陈老师": (Decimal("0.10"), False),
    }
    client.force_login(cast.teacher)
    page = client.get(reverse("appraisal:index"), {"year": "all"}).content.decode()
    assert "2026 年教学论文评比 一等奖" in page and "可报销" in page
    assert "陈老师" not in page  # a teacher's ledger is their own

    # → the archive, page and Word
    zhang = person(cast.teacher)
    page = client.get(reverse("appraisal:archive", args=[zhang.pk])).content.decode()
    assert 'id="contest-awards"' in page
    awards = page.split('id="contest-awards"')[1].split("</table>")[0]
    assert "2026 年教学论文评比" in awards and "一等奖" in awards and "+1" in awards
    docx = client.get(reverse("appraisal:archive_docx", args=[zhang.pk])).content
    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(docx)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "2026 年教学论文评比" in text and "一等奖" in text and "+1" in text

    # publishing again is impossible, granting again adds nothing
    client.force_login(cast.office)
    client.post(reverse("contests:advance", args=[c.pk]))
    from keshi.appraisal.services import grant_contest_awards

    assert grant_contest_awards(c) == 0 and PointEntry.objects.count() == 4


def _upload(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        f"{name}.docx",
        docx_by(name),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
