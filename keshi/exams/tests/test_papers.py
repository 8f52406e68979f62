"""命题 and 审核: the workflow with its audit trail, and the paper's confidentiality before the
exam starts — allowed for setter, reviewer and office; refused (404) for another teacher, a
group lead, the school leader and another school's office, on pages and API alike."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from keshi.accounts.models import ApiToken, RoleGrant
from keshi.exams import services
from keshi.exams.models import PaperAssignment
from keshi.exams.tests.helpers import exam, person
from keshi.org.tests.factories import UserFactory, grant

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def paper(cast, settings, tmp_path):
    """语文 set by 张老师 and reviewed by 王组长, for an exam a week from now."""
    settings.MEDIA_ROOT = tmp_path
    e = exam(cast, start=timezone.localdate() + timedelta(days=7))
    subject = e.subjects.get(subject="语文")
    p = services.assign_paper(
        subject=subject,
        setter=person(cast.teacher),
        reviewer=person(cast.lead),
        submit_due=date(2025, 11, 1),
    )
    services.submit_version(
        paper=p, name="语文.pdf", content=PDF, content_type="application/pdf", note="", by=None
    )
    return p


def _api(client, user, pk):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
    return client.get(f"/api/v1/exams/papers/{pk}", headers=headers)


def other_office(cast):
    user = UserFactory(username="other_office")
    grant(user, cast.other_school, RoleGrant.Role.OFFICE)
    return user


@pytest.mark.django_db
def test_before_the_exam_only_setter_reviewer_and_office_open_the_paper(client, cast, paper):
    version = paper.versions.get()
    allowed = [cast.teacher, cast.lead, cast.office]
    # 李老师 is a colleague; 王组长 leads 张老师's group but reviews here, so the lead rule is
    # tested with a lead who is not the reviewer below.
    refused = [cast.other_teacher, cast.leader, cast.district, cast.outsider, other_office(cast)]
    for user in allowed:
        client.force_login(user)
        assert client.get(f"/exams/papers/{paper.pk}/").status_code == 200, user
        assert client.get(f"/exams/versions/{version.pk}/").status_code == 200, user
        assert _api(client, user, paper.pk).status_code == 200, user
    for user in refused:
        client.force_login(user)
        assert client.get(f"/exams/papers/{paper.pk}/").status_code == 404, user
        assert client.get(f"/exams/versions/{version.pk}/").status_code == 404, user
        assert _api(client, user, paper.pk).status_code == 404, user


@pytest.mark.django_db
def test_a_group_lead_who_is_not_the_reviewer_is_refused(client, cast, paper):
    services.assign_paper(
        subject=paper.subject, setter=person(cast.teacher), reviewer=person(cast.other_teacher)
    )
    client.force_login(cast.lead)  # leads 张老师's 语文组
    assert client.get(f"/exams/papers/{paper.pk}/").status_code == 404
    client.force_login(cast.other_teacher)
    assert client.get(f"/exams/papers/{paper.pk}/").status_code == 200


@pytest.mark.django_db
def test_from_the_start_day_the_school_reads_it_other_schools_never(client, cast, paper):
    exam_ = paper.subject.exam
    exam_.start_date = timezone.localdate()
    exam_.save()
    client.force_login(cast.other_teacher)
    assert client.get(f"/exams/papers/{paper.pk}/").status_code == 200
    assert _api(client, cast.leader, paper.pk).status_code == 200
    client.force_login(cast.outsider)
    assert client.get(f"/exams/papers/{paper.pk}/").status_code == 404
    assert _api(client, other_office(cast), paper.pk).status_code == 404


@pytest.mark.django_db
def test_submit_comment_revise_finalise_with_history(client, cast, paper):
    paper.refresh_from_db()
    assert paper.status == PaperAssignment.Status.SUBMITTED
    client.force_login(cast.other_teacher)  # not the reviewer: cannot even open it
    assert client.post(f"/exams/papers/{paper.pk}/", {"action": "review"}).status_code == 404
    client.force_login(cast.lead)
    response = client.post(
        f"/exams/papers/{paper.pk}/",
        {"action": "review", "r-decision": "revise", "r-comment": ""},
    )
    assert "退回修改时请写明审核意见" in response.content.decode()
    client.post(
        f"/exams/papers/{paper.pk}/",
        {"action": "review", "r-decision": "revise", "r-comment": "第5题超纲"},
    )
    paper.refresh_from_db()
    assert paper.status == PaperAssignment.Status.COMMENTED
    client.force_login(cast.teacher)
    upload = SimpleUploadedFile("语文v2.pdf", PDF, content_type="application/pdf")
    client.post(
        f"/exams/papers/{paper.pk}/", {"action": "submit", "v-file": upload, "v-note": "已改"}
    )
    paper.refresh_from_db()
    assert paper.status == PaperAssignment.Status.REVISED
    assert paper.versions.count() == 2
    bad = SimpleUploadedFile("试卷.pdf", b"MZ\x90\x00", content_type="application/pdf")
    response = client.post(f"/exams/papers/{paper.pk}/", {"action": "submit", "v-file": bad})
    assert "Windows 可执行程序" in response.content.decode()
    client.force_login(cast.lead)
    client.post(f"/exams/papers/{paper.pk}/", {"action": "review", "r-decision": "final"})
    paper.refresh_from_db()
    assert paper.status == PaperAssignment.Status.FINAL
    statuses = list(paper.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["pending", "submitted", "commented", "revised", "final"]
    assert paper.history.latest().history_user == cast.lead
    assert "第5题超纲" in client.get(f"/exams/papers/{paper.pk}/").content.decode()
    with pytest.raises(services.Refused):
        services.submit_version(
            paper=paper, name="x.pdf", content=PDF, content_type="application/pdf", note="", by=None
        )
