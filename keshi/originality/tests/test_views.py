"""Pages and scoping with the cast: the teacher sees a score, never another teacher's text;
reviewers see the passages side by side."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keshi.originality.models import CorpusText, Flag, OrgSettings
from keshi.originality.tests.samples import ORIGINAL, TEMPLATE

pytestmark = pytest.mark.django_db

# A sentence only in the colleague's text: it must never reach the copier's own pages.
SECRET = "课后回看录像，我发现自己提问过多"
COPY = ORIGINAL.replace(SECRET, "课后我反复回想") + "这是我自己的补充。"


@pytest.fixture
def flag(cast, record):
    record(cast.other_teacher, ORIGINAL)
    return Flag.objects.get(activity=record(cast.teacher, COPY))


def page(client, user, url):
    client.force_login(user)
    return client.get(url)


def test_teacher_sees_only_the_score_of_their_own_flag(client, cast, flag):
    response = page(client, cast.teacher, reverse("originality:flag", args=[flag.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "与他人作品相似" in html and f"{round(flag.score * 100)}%" in html
    assert "李老师" not in html and SECRET not in html
    assert "resolve-form" not in html
    detail = page(client, cast.teacher, reverse("records:detail", args=[flag.activity_id]))
    assert "originality-badge" in detail.content.decode()
    assert SECRET not in detail.content.decode()


@pytest.mark.parametrize("who", ["office", "lead", "leader", "district"])
def test_reviewers_see_passages_side_by_side(client, cast, flag, who):
    html = page(client, getattr(cast, who), reverse("originality:flag", args=[flag.pk])).content
    html = html.decode()
    assert "<mark>" in html and "李老师" in html
    assert "我准备把问题压缩成三个主问题" in html  # the shared passage, on both sides
    assert ("resolve-form" in html) == (who in ("office", "lead"))


@pytest.mark.parametrize("who", ["other_teacher", "outsider"])
def test_others_get_404(client, cast, flag, who):
    assert (
        page(client, getattr(cast, who), reverse("originality:flag", args=[flag.pk])).status_code
        == 404
    )
    listing = page(client, getattr(cast, who), reverse("originality:index")).content.decode()
    assert "张老师" not in listing


def test_dashboard_lists_flags_in_scope_with_filter_and_search(client, cast, flag):
    html = page(client, cast.office, reverse("originality:index")).content.decode()
    assert "张老师" in html and "flag-table" in html
    assert (
        "张老师" not in page(client, cast.office, "/originality/?status=accepted").content.decode()
    )
    assert "张老师" not in page(client, cast.office, "/originality/?q=无此人").content.decode()
    own = page(client, cast.teacher, reverse("originality:index")).content.decode()
    assert "张老师" in own


def test_leader_may_not_resolve(client, cast, flag):
    client.force_login(cast.leader)
    url = reverse("originality:resolve", args=[flag.pk])
    assert client.post(url, {"status": "confirmed"}).status_code == 403
    client.force_login(cast.teacher)
    assert client.post(url, {"status": "accepted", "reason": "x"}).status_code == 403


def test_office_accepts_a_quotation_with_a_reason(client, cast, flag):
    client.force_login(cast.office)
    url = reverse("originality:resolve", args=[flag.pk])
    response = client.post(url, {"status": "accepted", "reason": ""}, follow=True)
    assert "须写明理由" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == Flag.Status.OPEN
    client.post(url, {"status": "accepted", "reason": "引用了教研组的共同教案"})
    flag.refresh_from_db()
    assert flag.status == Flag.Status.ACCEPTED and flag.reason == "引用了教研组的共同教案"
    html = page(client, cast.teacher, reverse("originality:flag", args=[flag.pk])).content.decode()
    assert "引用了教研组的共同教案" in html


def test_review_queue_shows_the_badge(client, cast, template, record):
    from keshi.originality.tests.samples import COPIED

    record(cast.teacher, COPIED, code="paper", title="论文")
    html = page(client, cast.office, reverse("records:review")).content.decode()
    assert "originality-badge" in html and "查重" in html


def test_corpus_page_is_for_office_only(client, cast):
    assert page(client, cast.teacher, reverse("originality:corpus")).status_code == 403
    assert page(client, cast.leader, reverse("originality:corpus")).status_code == 403
    assert page(client, cast.office, reverse("originality:corpus")).status_code == 200


def test_office_uploads_corpus_files_and_bad_files_write_nothing(client, cast):
    client.force_login(cast.office)
    url = reverse("originality:corpus")
    bad = SimpleUploadedFile("范文.pdf", b"%PDF-1.4")
    response = client.post(url, {"org": cast.school.pk, "files": [bad]})
    assert response.status_code == 200 and "不是 .txt 或 .docx" in response.content.decode()
    assert not CorpusText.objects.exists()
    good = SimpleUploadedFile("范文.txt", TEMPLATE.encode())
    short = SimpleUploadedFile("短.txt", "太短".encode())
    response = client.post(url, {"org": cast.school.pk, "files": [good, short]}, follow=True)
    assert "已加入范文库：1 个文件" in response.content.decode()
    assert "正文太短" in response.content.decode()
    corpus = CorpusText.objects.get()
    assert corpus.org == cast.school and corpus.uploaded_by == cast.office
    assert "范文.txt" in page(client, cast.office, url).content.decode()
    client.force_login(cast.outsider)
    assert client.post(reverse("originality:corpus_delete", args=[corpus.pk])).status_code in (
        403,
        404,
    )
    client.force_login(cast.office)
    client.post(reverse("originality:corpus_delete", args=[corpus.pk]))
    assert not CorpusText.objects.exists()


def test_office_saves_settings_for_its_org_only(client, cast):
    client.force_login(cast.office)
    url = reverse("originality:settings")
    client.post(url, {"org": cast.school.pk, "threshold": 70, "district_wide": "on"})
    saved = OrgSettings.objects.get(org=cast.school)
    assert saved.threshold == 0.7 and saved.district_wide
    response = client.post(url, {"org": cast.other_school.pk, "threshold": 5}, follow=True)
    assert not OrgSettings.objects.filter(org=cast.other_school).exists()
    assert "选择一个有效的选项" in response.content.decode() or "有效" in response.content.decode()
