"""新技术新项目 (#24 item 3): a hospital's project type on the 课题 lifecycle engine, with its own
stages 申报 → 评估 → 开展 → 总结."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from keshi.records.models import Activity
from keshi.records.tests.hospital_world import build_hospital
from keshi.research import lifecycle as lc
from keshi.research import services
from keshi.research.models import Kind
from keshi.research.tests.helpers import advance, person

NT = lc.NEW_TECH
TITLE = "经皮冠状动脉介入术后早期康复"


@given(st.data())
def test_every_new_tech_path_ends_in_its_summary_or_withdrawal(data):
    status, path = lc.DECLARED, [lc.DECLARED]
    while options := sorted(NT.transitions[status]):
        status = data.draw(st.sampled_from(options))
        path.append(status)
    assert status in {lc.SUMMARISED, lc.WITHDRAWN}, path
    assert len(set(path)) == len(path)
    assert NT.reachable_ends() == NT.terminal == {lc.SUMMARISED, lc.WITHDRAWN}


def test_its_stages_are_its_own_and_the_research_engine_is_unchanged():
    assert [lc.LABELS[s] for s in NT.stages] == ["申报", "评估", "开展", "总结"]
    assert lc.RESEARCH.stages == lc.STAGES and not lc.allowed(lc.DECLARED, lc.ASSESSED)
    with pytest.raises(lc.TransitionRefused, match="开展情况记录"):
        NT.check_advance(
            status=lc.PRACTISED, stage=lc.PRACTISED, documents=set(), decision_passed=True
        )


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_hospital()


def new_tech(world):
    return services.create_project(
        org=world.org,
        kind=Kind.NEW_TECH,
        title=TITLE,
        level="school",
        leader=person(world.head),
        members=[person(world.doctor)],
        start_date=date(2026, 3, 1),
    )


def test_a_new_tech_project_runs_through_its_four_stages(world):
    p = new_tech(world)
    seen = [p.status]
    for _ in NT.stages:
        advance(p, world.office)
        seen.append(p.status)
    assert seen == ["declared", "assessed", "practised", "summarised", "summarised"]
    assert p.finished
    assert list(p.stages.values_list("stage", flat=True)) == list(NT.stages)
    titles = Activity.objects.filter(person=person(world.doctor)).values_list("title", flat=True)
    assert sorted(titles) == sorted(f"新技术新项目《{TITLE}》{lc.LABELS[s]}" for s in NT.stages)


def test_it_cannot_be_postponed_only_withdrawn(world):
    p = new_tech(world)
    with pytest.raises(lc.TransitionRefused):
        services.change_status(project=p, target=lc.EXTENDED, reason="设备未到位")
    services.change_status(project=p, target=lc.WITHDRAWN, reason="设备未到位")
    assert p.status == lc.WITHDRAWN


def test_only_a_hospital_runs_new_tech_projects(client, cast, world):
    with pytest.raises(ValidationError, match="只用于医院"):
        services.create_project(
            org=cast.school, kind=Kind.NEW_TECH, title="x", level="school", leader=person(cast.lead)
        )
    client.force_login(cast.teacher)
    assert client.get(reverse("research:create") + "?kind=new_tech").status_code == 403


def test_the_pages_keep_new_tech_apart_from_research(client, world):
    p = new_tech(world)
    services.create_project(
        org=world.org, title="卒中后吞咽障碍研究", level="city", leader=person(world.head)
    )
    client.force_login(world.head)
    listing = client.get(reverse("research:index"), {"kind": "new_tech"}).content.decode()
    assert TITLE in listing and "卒中后吞咽障碍研究" not in listing
    assert "申报 → 评估 → 开展 → 总结" in listing
    assert '<option value="assessed">' in listing and '<option value="midterm">' not in listing
    research = client.get(reverse("research:index")).content.decode()
    assert TITLE not in research and "卒中后吞咽障碍研究" in research
    assert '<option value="midterm">' in research and '<option value="assessed">' not in research
    detail = client.get(reverse("research:detail", args=[p.pk])).content.decode()
    assert "项目组成员" in detail and "中期检查" not in detail
    assert "新技术新项目申报书" in detail
    client.force_login(world.office)
    status_page = client.get(reverse("research:status", args=[p.pk])).content.decode()
    assert "撤项" in status_page and "延期" not in status_page


def test_staff_declare_one_through_the_form(client, world):
    client.force_login(world.doctor)
    url = reverse("research:create") + "?kind=new_tech"
    page = client.get(url).content.decode()
    assert "申报新技术新项目" in page and "项目名称" in page
    response = client.post(url, {"title": TITLE, "level": "school", "funding": "0"})
    assert response.status_code == 302, response.content.decode()[:3000]
    made = world.org.research_projects.get()
    assert (made.kind, made.status, made.leader) == ("new_tech", "declared", person(world.doctor))
    empty = client.get(reverse("research:index"), {"kind": "new_tech", "q": "没有"})
    assert "没有符合条件的课题" in empty.content.decode()
