"""Every page with the cast: office manages, judges see codes and stripped copies only,
authors their own entry, the org the published ranking, outsiders nothing."""

import io
import zipfile

import pytest
from django.urls import reverse

from keshi.contests import services
from keshi.contests.models import Assignment, Contest, Entry
from keshi.contests.tests.factories import contest, docx_by, enter, full, judges, person


@pytest.fixture
def running(cast):
    """A contest in 评审 with 张老师's entry judged by judge1 and the 组长 (王组长)."""
    c = contest(cast)
    entry = enter(c, cast.teacher, title="浅谈作文教学")
    js = judges(cast, 1)
    services.advance(contest=c, by=cast.office)
    services.auto_assign(
        contest=c, judges=[person(js[0]), person(cast.lead)], per_entry=2, by=cast.office
    )
    services.advance(contest=c, by=cast.office)
    return c, entry, js[0]


def get(client, user, name, *args):
    client.force_login(user)
    return client.get(reverse(f"contests:{name}", args=args))


def text(response) -> str:
    return response.content.decode()


def test_index_lists_contests_of_the_org_only(client, cast, running):
    c, _, _ = running
    for user in (cast.office, cast.teacher, cast.leader, cast.district):
        assert c.title in text(get(client, user, "index"))
    assert c.title not in text(get(client, cast.outsider, "index"))
    assert "新建评比" in text(get(client, cast.office, "index"))
    assert "新建评比" not in text(get(client, cast.teacher, "index"))


def test_new_contest_office_only_and_errors_in_chinese(client, cast):
    assert get(client, cast.teacher, "new").status_code == 403
    assert get(client, cast.office, "new").status_code == 200
    rubric = contest(cast).rubric
    data = {
        "title": "反思评比",
        "kind": "reflection",
        "rubric": rubric.pk,
        "aggregation": "mean",
        "judges_per_entry": 3,
        "quota_first": 1,
        "quota_second": 1,
        "quota_third": 1,
        "quota_merit": 0,
        "review_start": "2026-05-01",
        "submit_start": "2026-06-01",
    }
    response = client.post(reverse("contests:new"), data)
    assert "顺序" in text(response) and not Contest.objects.filter(title="反思评比").exists()
    data["submit_start"] = "2026-04-01"
    response = client.post(reverse("contests:new"), data)
    assert response.status_code == 302 and Contest.objects.get(title="反思评比").org == cast.school


def test_detail_shows_authors_to_office_only(client, cast, running):
    c, entry, judge = running
    assert "张老师" in text(get(client, cast.office, "detail", c.pk))
    for user in (judge, cast.lead, cast.other_teacher, cast.leader):
        body = text(get(client, user, "detail", c.pk))
        assert "张老师" not in body and "浅谈作文教学" not in body
    assert "浅谈作文教学" in text(get(client, cast.teacher, "detail", c.pk))
    assert get(client, cast.outsider, "detail", c.pk).status_code == 404


def test_judge_pages_are_blind(client, cast, running):
    c, entry, judge = running
    for user in (judge, cast.lead):
        body = text(get(client, user, "judge", c.pk))
        assert entry.code in body and "张老师" not in body and "浅谈作文教学" not in body
        a = Assignment.objects.get(entry=entry, judge__user=user)
        body = text(get(client, user, "score", a.pk))
        assert entry.code in body and "张老师" not in body and "选题与观点" in body
        response = get(client, user, "judge_document", a.pk)
        assert response.status_code == 200
        assert entry.code in response["Content-Disposition"]
        assert "张老师" not in response["Content-Disposition"]
        with zipfile.ZipFile(io.BytesIO(response.content)) as z:
            xml = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
        assert "张老师" not in xml and "作文教学的三点体会" in xml
        # the original stays out of reach
        assert get(client, user, "entry_document", entry.pk).status_code == 404
    a = Assignment.objects.get(entry=entry, judge__user=judge)
    for user in (cast.teacher, cast.other_teacher, cast.office, cast.outsider):
        assert get(client, user, "judge", c.pk).status_code == 404
        assert get(client, user, "score", a.pk).status_code == 404
        assert get(client, user, "judge_document", a.pk).status_code == 404


def test_judge_scores_and_bad_input_writes_nothing(client, cast, running):
    c, entry, judge = running
    a = Assignment.objects.get(entry=entry, judge__user=judge)
    client.force_login(judge)
    url = reverse("contests:score", args=[a.pk])
    response = client.post(url, {"c1": "70", "c2": "30"}, follow=True)
    assert "得分应在 0 到 60 之间" in text(response)
    a.refresh_from_db()
    assert a.total is None
    response = client.post(url, {"c1": "50", "c2": "30", "comment": "观点清楚"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert a.total == 80 and a.comment == "观点清楚"


def test_non_docx_served_as_is_with_warning(client, cast):
    c = contest(cast)
    pdf = b"%PDF-1.4\n" + b"0" * 100
    e = services.submit_entry(
        contest=c, person=person(cast.teacher), title="t", upload_name="张老师.pdf", data=pdf
    )
    judge = judges(cast, 1)[0]
    services.auto_assign(contest=c, judges=[person(judge)], per_entry=1, by=cast.office)
    a = Assignment.objects.get(entry=e)
    assert "未能自动去除姓名" in text(get(client, judge, "score", a.pk))
    response = get(client, judge, "judge_document", a.pk)
    assert response.content == pdf and "张老师" not in response["Content-Disposition"]


def test_submit_upload_through_page(client, cast):
    c = contest(cast)
    client.force_login(cast.other_teacher)
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("论文.docx", b"MZ" + b"\0" * 50)
    response = client.post(
        reverse("contests:submit", args=[c.pk]), {"title": "x", "document": bad}, follow=True
    )
    assert "可执行程序" in text(response) and not Entry.objects.exists()
    good = SimpleUploadedFile("论文.docx", docx_by("李老师"))
    client.post(reverse("contests:submit", args=[c.pk]), {"title": "阅读教学", "document": good})
    assert Entry.objects.get().person.name == "李老师"
    client.force_login(cast.outsider)
    assert client.post(reverse("contests:submit", args=[c.pk]), {"title": "x"}).status_code == 404


def test_ranking_before_and_after_notice(client, cast, running):
    c, entry, judge = running
    for user in (cast.teacher, cast.other_teacher, judge, cast.outsider):
        assert get(client, user, "ranking", c.pk).status_code == 404
    assert "排名预览" in text(get(client, cast.office, "ranking", c.pk))
    for a in Assignment.objects.all():
        services.save_scores(assignment=a, by=a.judge.user, raw=full(0.9))
    client.force_login(cast.teacher)
    assert client.post(reverse("contests:advance", args=[c.pk])).status_code == 403
    client.force_login(cast.office)
    client.post(reverse("contests:advance", args=[c.pk]))
    c.refresh_from_db()
    assert c.phase == Contest.Phase.NOTICE
    for user in (cast.teacher, cast.other_teacher, judge, cast.leader, cast.office):
        body = text(get(client, user, "ranking", c.pk))
        assert "公示" in body and "张老师" in body and "一等奖" in body
    assert get(client, cast.outsider, "ranking", c.pk).status_code == 404
    assert "第1名" in text(get(client, cast.teacher, "detail", c.pk))


def test_assign_and_recommend_pages_office_only(client, cast, running):
    c, entry, judge = running
    client.force_login(cast.teacher)
    assert client.post(reverse("contests:assign", args=[c.pk]), {}).status_code == 403
    assert client.post(reverse("contests:recommend", args=[entry.pk]), {}).status_code == 404
    client.force_login(cast.outsider)
    assert client.post(reverse("contests:assign", args=[c.pk]), {}).status_code == 404
    client.force_login(cast.office)
    response = client.post(reverse("contests:assign", args=[c.pk]), {}, follow=True)
    assert "请选择评委" in text(response)
    assert get(client, cast.office, "entry_document", entry.pk).status_code == 200
    assert get(client, cast.teacher, "entry_document", entry.pk).status_code == 200
    assert get(client, cast.other_teacher, "entry_document", entry.pk).status_code == 404


def test_office_enters_a_group(client, cast):
    c = contest(cast, kind=Contest.Kind.GROUP)
    url = reverse("contests:submit_group", args=[c.pk])
    client.force_login(cast.lead)
    assert client.post(url, {"group": cast.group.pk, "title": "语文组"}).status_code == 403
    client.force_login(cast.outsider)
    assert client.post(url, {"group": cast.group.pk, "title": "语文组"}).status_code == 404
    client.force_login(cast.office)
    assert "代组提交" in text(client.get(reverse("contests:detail", args=[c.pk])))
    client.post(url, {"group": cast.group.pk, "title": "语文组建设材料"})
    entry = Entry.objects.get()
    assert entry.group == cast.group and entry.code.startswith("JY-")


def test_group_entry_copy_hides_group_and_members(client, cast):
    c = contest(cast, kind=Contest.Kind.GROUP)
    data = docx_by("语文组", body="组员：李老师、王组长共同完成")
    e = services.submit_entry(
        contest=c, group=cast.group, title="材料", upload_name="语文组.docx", data=data
    )
    judge = judges(cast, 1)[0]
    services.auto_assign(contest=c, judges=[person(judge)], per_entry=1, by=cast.office)
    response = get(client, judge, "judge_document", Assignment.objects.get(entry=e).pk)
    with zipfile.ZipFile(io.BytesIO(response.content)) as z:
        xml = "".join(z.read(n).decode("utf-8", "ignore") for n in z.namelist())
    assert "共同完成" in xml
    assert not any(name in xml for name in ("语文组", "李老师", "王组长"))


def test_recommend_only_to_the_parent_orgs_open_contests(client, cast, running):
    """A contest of another district (or the school's own) is not a target: the page says to
    choose one and nothing is copied."""
    from keshi.org.tests.factories import OrgFactory

    c, entry, _judge = running
    elsewhere = Contest.objects.create(
        org=OrgFactory(code="far", name="别区教育局", kind="district"), title="别区评比",
        kind=c.kind, rubric=c.rubric, phase=Contest.Phase.SUBMIT,
    )  # fmt: skip
    client.force_login(cast.office)
    for target in (elsewhere, c):
        url = reverse("contests:recommend", args=[entry.pk])
        response = client.post(url, {"target": target.pk}, follow=True)
        assert "请选择上级评比" in text(response)
    assert Entry.objects.filter(recommended_from=entry).count() == 0
