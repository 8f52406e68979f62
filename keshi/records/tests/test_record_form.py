"""The record form: one record in one POST, kind-specific fields, the directory, attachments."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from keshi.org.tests.factories import PersonFactory
from keshi.records.models import Activity, ActivityKind, Attachment
from keshi.records.services import count_chars
from keshi.records.tests.factories import EXE, PDF, docx_bytes, kind

URL = reverse("records:create")


def post(client, user, data, files=None, **params):
    client.force_login(user)
    url = URL + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")
    return client.post(url, {**data, **(files or {})})


def test_kind_tiles_then_preselected_form_with_defaults(client, cast):
    client.force_login(cast.teacher)
    r = client.get(URL)
    assert r.status_code == 200 and r.context["form"] is None
    assert "听课/听评课" in r.content.decode()
    r = client.get(URL, {"kind": "observation", "date": "2026-03-02"})
    form = r.context["form"]
    assert form.kind.code == "observation"
    assert form["date"].value().isoformat() == "2026-03-02"
    assert form["quantity"].value() == 1
    assert "数量（节）" in r.content.decode()
    assert "person" not in form.fields  # a plain teacher records for themselves only
    r = client.get(URL, {"kind": "reflection"})
    assert r.context["form"]["date"].value() == timezone.localdate()


def test_teacher_records_an_observation(client, cast):
    observed = cast.other_teacher.person
    r = post(
        client,
        cast.teacher,
        {
            "kind": "observation",
            "date": "2026-03-02",
            "quantity": "2",
            "observed": observed.pk,
            "f_class_name": "初一(3)班",
            "f_subject": "语文",
            "f_topic": "春",
            "f_lesson_no": "3",
            "f_comments": "朗读指导到位",
        },
    )
    activity = Activity.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"/{activity.pk}/?saved=1")
    assert activity.person == cast.teacher.person
    assert activity.observed == observed
    assert activity.quantity == 2
    assert activity.title == "春"
    assert activity.data == {
        "class_name": "初一(3)班",
        "subject": "语文",
        "topic": "春",
        "lesson_no": 3,
        "comments": "朗读指导到位",
    }
    assert activity.created_by == cast.teacher
    page = client.get(r["Location"]).content.decode()
    assert "已保存" in page and "再记一条" in page and "?kind=observation" in page


def test_text_kind_counts_characters_like_count_chars(client, cast):
    text = "今天的课　很成功。\n学生 积极！𠮷"
    post(
        client,
        cast.teacher,
        {
            "kind": "reflection",
            "date": "2026-03-02",
            "quantity": "1",
            "title": "反思",
            "text": text,
        },
    )
    activity = Activity.objects.get()
    assert activity.chars == count_chars(text) == 14
    page = client.get(reverse("records:edit", args=[activity.pk])).content.decode()
    assert 'data-count-chars="1"' in page and "records/record.js" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"kind": "observation", "date": "2026-03-02", "quantity": "1"},
            "observed",
            "请搜索并选择被听课教师",
        ),
        (
            {
                "kind": "reflection",
                "date": "2026-03-02",
                "quantity": "1",
                "title": "x",
                "text": "  ",
            },
            "text",
            "请填写正文",
        ),
        (
            {
                "kind": "reflection",
                "date": "2026-03-02",
                "quantity": "0",
                "title": "x",
                "text": "正文",
            },
            "quantity",
            "数量必须大于0",
        ),
        (
            {
                "kind": "reflection",
                "date": "不是日期",
                "quantity": "1",
                "title": "x",
                "text": "正文",
            },
            "date",
            "输入一个有效的日期",
        ),
        (
            {
                "kind": "reflection",
                "date": "2099-01-01",
                "quantity": "1",
                "title": "x",
                "text": "正文",
            },
            "date",
            "日期不能晚于今天",
        ),
        (
            {"kind": "training", "date": "2026-03-02", "quantity": "3"},
            "f_organiser",
            "这个字段是必填项",
        ),
        (
            {
                "kind": "blog",
                "date": "2026-03-02",
                "quantity": "1",
                "title": "t",
                "f_link": "不是链接 x",
            },
            "f_link",
            "输入一个有效的 URL",
        ),
        (
            {
                "kind": "paper",
                "date": "2026-03-02",
                "quantity": "1",
                "title": "t",
                "text": "文",
                "f_level": "宇宙级",
            },
            "f_level",
            "选择一个有效的选项",
        ),
    ],
)
def test_bad_input_shows_chinese_error_and_writes_nothing(client, cast, data, field, message):
    r = post(client, cast.teacher, data)
    assert r.status_code == 200
    assert any(message in e for e in r.context["form"].errors[field]), r.context["form"].errors
    assert message in r.content.decode()
    assert not Activity.objects.exists()


def test_observed_must_come_from_the_directory(client, cast):
    base = {"kind": "observation", "date": "2026-03-02", "quantity": "1"}
    outsider = cast.outsider.person
    for observed, message in [
        (outsider.pk, "请从搜索结果中选择本单位的教师"),
        (cast.teacher.person.pk, "不能登记听自己的课"),
        ("abc", "输入整数"),
    ]:
        r = post(client, cast.teacher, {**base, "observed": observed})
        assert any(message in e for e in r.context["form"].errors["observed"])
    assert not Activity.objects.exists()


def test_directory_lists_names_and_subjects_of_own_org_only(client, cast):
    PersonFactory(org=cast.school, name="钱老师", subject="数学", phone="13912345678")
    PersonFactory(org=cast.school, name="离职老师", subject="数学", active=False)
    client.force_login(cast.teacher)
    html = client.get(reverse("records:directory"), {"q": "数学"}).content.decode()
    assert "钱老师" in html and "数学" in html
    assert "13912345678" not in html and "离职老师" not in html
    html = client.get(reverse("records:directory"), {"q": "老师"}).content.decode()
    assert "李老师" in html and "赵老师" not in html  # 赵老师 teaches at another school
    assert "张老师" not in html  # not oneself
    client.force_login(cast.outsider)
    assert "李老师" not in client.get(reverse("records:directory"), {"q": "李"}).content.decode()


def test_directory_for_a_person_the_user_may_not_record_for_is_empty(client, cast):
    client.force_login(cast.teacher)
    r = client.get(reverse("records:directory"), {"q": "老师", "person": cast.outsider.person.pk})
    assert "赵老师" not in r.content.decode() and "李老师" not in r.content.decode()


def test_attachments_are_checked_by_content(client, cast):
    base = {
        "kind": "reflection",
        "date": "2026-03-02",
        "quantity": "1",
        "title": "t",
        "text": "正文",
    }
    r = post(
        client,
        cast.teacher,
        base,
        {
            "files": [
                SimpleUploadedFile("教案.pdf", PDF),
                SimpleUploadedFile("反思.docx", docx_bytes()),
            ]
        },
    )
    assert r.status_code == 302
    assert sorted(Attachment.objects.values_list("name", flat=True)) == ["反思.docx", "教案.pdf"]
    Activity.objects.all().delete()
    r = post(
        client,
        cast.teacher,
        base,
        {"files": [SimpleUploadedFile("教案.pdf", PDF), SimpleUploadedFile("课件.pdf", EXE)]},
    )
    assert r.status_code == 200
    assert "“课件.pdf”是Windows 可执行程序" in r.content.decode()
    assert not Activity.objects.exists()


def test_attachment_size_limit(client, cast, settings):
    settings.KESHI_MAX_UPLOAD_BYTES = 100
    base = {
        "kind": "reflection",
        "date": "2026-03-02",
        "quantity": "1",
        "title": "t",
        "text": "正文",
    }
    r = post(client, cast.teacher, base, {"files": SimpleUploadedFile("大.pdf", PDF * 10)})
    assert "过大" in r.content.decode()
    assert not Activity.objects.exists()


def test_future_tomorrow_is_allowed_but_not_later(client, cast):
    """A timezone slack of one day; a week ahead is a typo."""
    later = (timezone.localdate() + timedelta(days=7)).isoformat()
    r = post(client, cast.teacher, {"kind": "meeting", "date": later, "quantity": "1"})
    assert "日期不能晚于今天" in r.content.decode()


def test_unknown_or_foreign_kind_shows_tiles(client, cast):
    foreign = ActivityKind.objects.create(org=cast.other_school, code="visit", label="家访")
    client.force_login(cast.teacher)
    assert client.get(URL, {"kind": "visit"}).context["form"] is None
    r = post(client, cast.teacher, {"kind": foreign.code, "date": "2026-03-02", "quantity": "1"})
    assert r.status_code == 200 and not Activity.objects.exists()


def test_inactive_kind_cannot_be_recorded(client, cast):
    ActivityKind.objects.create(org=cast.school, code="visit", label="家访", active=False)
    client.force_login(cast.teacher)
    assert client.get(URL, {"kind": "visit"}).context["form"] is None


@pytest.mark.parametrize("who", ["leader", "district"])
def test_read_only_roles_cannot_record(client, cast, who):
    client.force_login(getattr(cast, who))
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"kind": "meeting", "date": "2026-03-02"}).status_code == 403


def test_org_kind_with_own_fields(client, cast):
    ActivityKind.objects.create(
        org=cast.school,
        code="visit",
        label="家访",
        unit="次",
        fields=[
            {"name": "student", "label": "学生", "type": "text", "required": True},
            {"name": "minutes", "label": "时长（分钟）", "type": "int"},
        ],
    )
    r = post(
        client,
        cast.teacher,
        {"kind": "visit", "date": "2026-03-02", "quantity": "1", "f_minutes": "30"},
    )
    assert "这个字段是必填项" in r.content.decode()
    post(
        client,
        cast.teacher,
        {
            "kind": "visit",
            "date": "2026-03-02",
            "quantity": "1",
            "f_student": "小明",
            "f_minutes": "30",
        },
    )
    assert Activity.objects.get().data == {"student": "小明", "minutes": 30}
    assert kind("observation").org is None


def test_attachments_survive_a_validation_error(client, cast):
    """The teacher at 10 p.m.: a missing title must not cost them the files they chose."""
    base = {"kind": "reflection", "date": "2026-03-02", "quantity": "1", "text": "正文"}
    r = post(client, cast.teacher, base, {"files": [SimpleUploadedFile("教案.pdf", PDF)]})
    assert r.status_code == 200 and not Activity.objects.exists()
    body = r.content.decode()
    assert 'id="pending-files"' in body and "教案.pdf" in body
    token = r.context["form"].pending_token
    assert token
    # another user's submission cannot take the files
    lead = {**base, "title": "t", "pending": token, "person": cast.lead.person.pk}
    other = post(client, cast.lead, lead)
    assert other.status_code == 302
    assert not Attachment.objects.exists()
    r = post(client, cast.teacher, {**base, "title": "t", "pending": token})
    assert r.status_code == 302
    mine = Activity.objects.get(person=cast.teacher.person)
    assert list(mine.attachments.values_list("name", flat=True)) == ["教案.pdf"]
    # a refused file keeps the good one beside it; a forged token gives nothing
    r = post(
        client,
        cast.teacher,
        {**base, "title": "t2"},
        {"files": [SimpleUploadedFile("好.pdf", PDF), SimpleUploadedFile("坏.pdf", EXE)]},
    )
    assert r.status_code == 200 and r.context["form"].pending_names == ["好.pdf"]
    r = post(client, cast.teacher, {**base, "pending": token[:-3] + "abc"})
    assert r.context["form"].pending_names == []
