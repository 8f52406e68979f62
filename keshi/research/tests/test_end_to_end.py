"""Issue 6, "done when": a project moves through all stages with documents — 申报 → 立项 → 开题 →
中期检查 → 延期 → 结题 — through the pages, as the leader and the reviewer would; and a second
project is withdrawn (撤项) midway. Each step is checked on the detail page, the documents can be
downloaded, the members' work is counted, and the API tells the same story."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from keshi.accounts.models import ApiToken
from keshi.records.models import Activity
from keshi.research import lifecycle
from keshi.research.models import ResearchProject, StageDocument
from keshi.research.tests.helpers import PDF, person

pytestmark = pytest.mark.django_db


def _upload(client, project, labels):
    stage = project.stages.order_by("-pk").first()
    files = {
        f"doc{i}": SimpleUploadedFile(f"{label}.pdf", PDF, content_type="application/pdf")
        for i, label in enumerate(labels)
    }
    response = client.post(reverse("research:submit", args=[project.pk]), files)
    assert response.status_code == 302, response.content.decode()
    return stage


def _review(client, project, decision="passed", comment="同意"):
    response = client.post(
        reverse("research:review", args=[project.pk]), {"decision": decision, "comment": comment}
    )
    assert response.status_code == 302, response.content.decode()


def test_project_through_every_stage_with_extension(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.teacher)
    response = client.post(
        reverse("research:create"),
        {
            "title": "初中语文整本书阅读教学研究",
            "level": "school",
            "category": "教学研究",
            "members": [person(cast.other_teacher).pk],
            "funding": "3000",
        },
    )
    assert response.status_code == 302, response.content.decode()
    p = ResearchProject.objects.get()
    seen = []
    for stage in lifecycle.STAGES:
        client.force_login(cast.teacher)
        _upload(client, p, lifecycle.REQUIRED_DOCUMENTS[stage])
        if stage == lifecycle.MIDTERM:
            # the reviewer first returns the mid-term report, then the office postpones
            client.force_login(cast.office)
            _review(client, p, "returned", "补充数据")
            client.force_login(cast.teacher)
            _upload(client, p, ["中期报告"])
            client.force_login(cast.office)
            response = client.post(
                reverse("research:status", args=[p.pk]),
                {"target": "extended", "reason": "疫情影响，延期半年", "due_date": "2027-06-30"},
            )
            assert response.status_code == 302
            p.refresh_from_db()
            assert p.status == "extended"
        client.force_login(cast.office)
        _review(client, p)
        p.refresh_from_db()
        seen.append(p.status)
    assert seen == ["approved", "opened", "midterm", "concluded", "concluded"]
    assert p.finished
    page = client.get(reverse("research:detail", args=[p.pk])).content.decode()
    for label in ("申报书", "立项通知书", "开题报告", "中期报告", "结题报告", "研究成果"):
        assert label in page
    assert "截止 2027-06-30" in page  # 延期 moved the mid-term stage's due date
    assert StageDocument.objects.filter(stage__project=p).count() == 7
    doc = StageDocument.objects.filter(label="结题报告").get()
    client.force_login(cast.other_teacher)  # a member downloads
    response = client.get(reverse("research:document", args=[doc.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    # five approved stages → five records for each of the two members
    assert Activity.objects.filter(person=person(cast.teacher)).count() == 5
    assert Activity.objects.filter(person=person(cast.other_teacher)).count() == 5
    # the API tells the same story, documents included for a member
    headers = {"Authorization": f"Bearer {ApiToken.issue(cast.other_teacher)[1]}"}
    body = client.get(f"/api/v1/research/projects/{p.pk}", headers=headers).json()
    assert body["status"] == "concluded" and body["finished"] is True
    assert [s["decision"] for s in body["stages"]] == ["passed"] * 5
    assert sum(len(s["documents"]) for s in body["stages"]) == 7
    assert body["funding"] == "3000.00" or float(body["funding"]) == 3000


def test_project_withdrawn_midway(client, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(cast.teacher)
    client.post(reverse("research:create"), {"title": "作业设计研究", "level": "school"})
    p = ResearchProject.objects.get()
    for _stage in lifecycle.STAGES[:2]:
        client.force_login(cast.teacher)
        _upload(client, p, lifecycle.REQUIRED_DOCUMENTS[p.status])
        client.force_login(cast.office)
        _review(client, p)
        p.refresh_from_db()
    assert p.status == "opened"
    client.force_login(cast.office)
    response = client.post(
        reverse("research:status", args=[p.pk]), {"target": "withdrawn", "reason": "主持人调离"}
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert p.status == "withdrawn" and not p.finished
    # nothing more can happen to it
    client.force_login(cast.teacher)
    assert client.get(reverse("research:submit", args=[p.pk])).status_code == 403
    client.force_login(cast.office)
    assert client.get(reverse("research:review", args=[p.pk])).status_code == 403
    response = client.post(
        reverse("research:status", args=[p.pk]), {"target": "extended", "reason": "再议"}
    )
    assert "不能从" in response.content.decode()
    page = client.get(reverse("research:detail", args=[p.pk])).content.decode()
    assert "撤项" in page and "主持人调离" in page
