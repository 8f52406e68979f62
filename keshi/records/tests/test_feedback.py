"""听课反馈: the observed teacher sees, acknowledges and answers an observation's feedback; the
observer scores it with an instrument and keeps private notes; leads and the office see
coverage. Pages, with the whole cast."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from keshi.checks.models import Rubric
from keshi.notify.models import Notification
from keshi.records import feedback_selectors, feedback_services
from keshi.records.models import Activity, Feedback
from keshi.records.tests.factories import ActivityFactory, kind
from keshi.records.tests.feedback_world import full_marks, make_world, observation_rubric


@pytest.fixture
def world(cast):
    return make_world(cast)


def users(cast, world) -> dict:
    return {
        "teacher": cast.teacher,
        "observer": world.observer,
        "lead": cast.lead,
        "math_lead": world.math_lead,
        "other_teacher": cast.other_teacher,
        "outsider": cast.outsider,
        "office": cast.office,
        "leader": cast.leader,
        "district": cast.district,
    }


def observe(client, cast, observer, **extra):
    """POST the observation form as ``observer`` about 张老师's lesson."""
    data = {
        "kind": "observation",
        "date": timezone.localdate().isoformat(),
        "quantity": "1",
        "observed": str(cast.teacher.person.pk),
        "f_class_name": "初二(1)班",
        "f_subject": "语文",
        "f_topic": "春",
        "f_comments": "情境导入自然。",
        **extra,
    }
    client.force_login(observer)
    return client.post(reverse("records:create"), data)


# ---- who sees the feedback ----------------------------------------------------------------


READERS = {"teacher", "observer", "lead", "office", "leader", "district"}


@pytest.mark.parametrize(
    "who",
    ["teacher", "observer", "lead", "math_lead", "other_teacher", "outsider", "office", "leader",
     "district"],
)  # fmt: skip
def test_feedback_detail_is_for_the_circle_only(client, cast, world, who):
    client.force_login(users(cast, world)[who])
    r = client.get(reverse("records:feedback_detail", args=[world.observation.pk]))
    assert r.status_code == (200 if who in READERS else 404)
    if r.status_code == 200:
        assert "细节描写品读到位" in r.content.decode()


@pytest.mark.parametrize("who", ["observer", "lead", "office", "other_teacher", "outsider"])
def test_only_the_observed_teacher_acknowledges_and_replies(client, cast, world, who):
    client.force_login(users(cast, world)[who])
    pk = world.observation.pk
    ack = client.post(reverse("records:feedback_acknowledge", args=[pk]))
    answer = client.post(reverse("records:feedback_reply", args=[pk]), {"reply": "谢谢"})
    expected = 404 if who in ("other_teacher", "outsider") else 403
    assert ack.status_code == answer.status_code == expected
    assert not Feedback.objects.filter(activity_id=pk).exists()


def test_received_lists_only_my_lessons(client, cast, world):
    ActivityFactory(  # 张老师 observing someone else: not feedback *to* her
        person=cast.teacher.person, observed=cast.other_teacher.person, kind=kind("observation")
    )
    client.force_login(cast.teacher)
    r = client.get(reverse("records:feedback"))
    rows = [row["activity"] for row in r.context["rows"]]
    assert rows == [world.observation]
    body = r.content.decode()
    assert "孙老师" in body and "初二(3)班" in body and "细节描写品读到位" in body
    client.force_login(cast.lead)
    r = client.get(reverse("records:feedback"))
    assert r.context["rows"] == [] and "还没有人登记听过您的课" in r.content.decode()


def test_observed_teacher_link_to_the_record_leads_to_the_feedback(client, cast, world):
    client.force_login(cast.teacher)
    r = client.get(reverse("records:detail", args=[world.observation.pk]))
    assert r.status_code == 302
    assert r["Location"] == reverse("records:feedback_detail", args=[world.observation.pk])
    client.force_login(cast.other_teacher)
    assert client.get(reverse("records:detail", args=[world.observation.pk])).status_code == 404


# ---- the observer's form: instrument, private notes, notification --------------------------


def test_observer_scores_with_an_instrument_and_the_teacher_is_told(client, cast, world):
    rubric = observation_rubric()
    notes = "板书有错别字，私下提醒。"
    r = observe(
        client,
        cast,
        world.observer,
        rubric=str(rubric.pk),
        private_notes=notes,
        **full_marks(rubric, minus=2),
    )
    assert r.status_code == 302, r.context and r.context["form"].errors
    activity = Activity.objects.get(data__topic="春")
    fb = activity.feedback
    assert fb.rubric == rubric and fb.rubric_data["name"] == rubric.name
    assert fb.total == Decimal(98) and fb.max_total == Decimal(100)
    assert fb.percent == Decimal("98.00") and fb.level == "优"
    assert fb.private_notes == notes
    note = Notification.objects.get(person=cast.teacher.person)
    assert "孙老师" in note.title and note.link == reverse(
        "records:feedback_detail", args=[activity.pk]
    )

    client.force_login(cast.teacher)
    page = client.get(note.link).content.decode()
    assert "98" in page and "记忆性提问" in page and "情境导入自然" in page
    assert notes not in page
    listing = client.get(reverse("records:feedback")).content.decode()
    assert "98" in listing and notes not in listing
    for reader in (cast.lead, cast.office):
        client.force_login(reader)
        assert notes not in client.get(note.link).content.decode()
        assert (
            notes not in client.get(reverse("records:detail", args=[activity.pk])).content.decode()
        )
    client.force_login(world.observer)
    own = client.get(reverse("records:detail", args=[activity.pk])).content.decode()
    assert notes in own and "98" in own


def test_someone_else_editing_the_record_neither_sees_nor_loses_the_private_notes(
    client, cast, world
):
    a = world.observation
    feedback_services.save_observation_feedback(
        activity=a, by=world.observer, private_notes="只给自己看"
    )
    client.force_login(world.math_lead)  # leads the observer's group: may edit the record
    url = reverse("records:edit", args=[a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert (
        "只给自己看" not in page.content.decode() and "private_notes" not in page.content.decode()
    )
    form = {
        "date": a.date.isoformat(),
        "quantity": "1",
        "observed": str(a.observed_id),
        "f_topic": "背影",
        "f_comments": a.data["comments"],
        "private_notes": "被改掉了",
    }
    assert client.post(url, form).status_code == 302
    assert Feedback.objects.get(activity=a).private_notes == "只给自己看"
    client.force_login(world.observer)
    assert "只给自己看" in client.get(url).content.decode()


def test_a_score_out_of_range_saves_nothing(client, cast, world):
    rubric = observation_rubric()
    scores = full_marks(rubric)
    scores["score_c1"] = "11"  # 记忆性提问 is out of 10
    r = observe(client, cast, world.observer, rubric=str(rubric.pk), **scores)
    assert r.status_code == 200
    assert "记忆性提问" in " ".join(r.context["form"].errors["rubric"])
    scores.pop("score_c1")
    r = observe(client, cast, world.observer, rubric=str(rubric.pk), **scores)
    assert "未评分" in " ".join(r.context["form"].errors["rubric"])
    assert not Activity.objects.filter(data__topic="春").exists()
    assert not Notification.objects.exists()


def test_another_orgs_rubric_cannot_be_chosen(client, cast, world):
    foreign = Rubric.objects.create(
        org=cast.other_school, name="外校量表", purpose="observation",
        criteria=observation_rubric().criteria,
    )  # fmt: skip
    own = Rubric.objects.create(
        org=cast.school, name="本校听课评价表", purpose="inspection",
        criteria=[{"key": "c1", "name": "教学目标", "max": "20", "note": ""}],
    )  # fmt: skip
    choices = feedback_selectors.instrument_rubrics(cast.school)
    assert own in choices and foreign not in choices
    assert not choices.filter(org__isnull=True, purpose="inspection").exists()
    r = observe(client, cast, world.observer, rubric=str(foreign.pk))
    assert r.status_code == 200 and r.context["form"].errors["rubric"]
    r = observe(client, cast, world.observer, rubric=str(own.pk), score_c1="15")
    assert r.status_code == 302
    assert Activity.objects.get(data__topic="春").feedback.percent == Decimal("75.00")


def test_instrument_items_partial(client, cast, world):
    client.force_login(world.observer)
    rubric = observation_rubric()
    r = client.get(reverse("records:feedback_instrument"), {"rubric": rubric.pk})
    assert 'name="score_c1"' in r.content.decode() and "评价性提问" in r.content.decode()
    assert 'name="score_' not in client.get(reverse("records:feedback_instrument")).content.decode()


def test_editing_the_feedback_tells_again_and_asks_for_a_new_acknowledgement(client, cast, world):
    a = world.observation
    feedback_services.acknowledge(activity=a, by=cast.teacher)
    Notification.objects.all().delete()
    client.force_login(world.observer)
    url = reverse("records:edit", args=[a.pk])
    form = {
        "date": a.date.isoformat(),
        "quantity": "2",
        "observed": str(a.observed_id),
        "f_class_name": "初二(3)班",
        "f_topic": "背影",
        "f_comments": a.data["comments"],
    }
    assert client.post(url, form).status_code == 302  # only the quantity changed
    assert not Notification.objects.exists()
    assert Feedback.objects.get(activity=a).acknowledged_at is not None
    form["f_comments"] = "补充：结尾升华略显仓促。"
    assert client.post(url, form).status_code == 302
    note = Notification.objects.get(person=cast.teacher.person)
    assert "修改" in note.title
    assert Feedback.objects.get(activity=a).acknowledged_at is None


def test_acknowledge_and_reply_reach_the_observer(client, cast, world):
    a = world.observation
    client.force_login(cast.teacher)
    page = client.get(reverse("records:feedback_detail", args=[a.pk])).content.decode()
    assert 'id="acknowledge"' in page
    assert client.post(reverse("records:feedback_acknowledge", args=[a.pk])).status_code == 302
    first = Feedback.objects.get(activity=a).acknowledged_at
    assert first is not None
    client.post(reverse("records:feedback_acknowledge", args=[a.pk]))
    assert Feedback.objects.get(activity=a).acknowledged_at == first  # the first time is kept
    r = client.post(reverse("records:feedback_reply", args=[a.pk]), {"reply": "   "})
    assert r.status_code == 302 and Feedback.objects.get(activity=a).reply == ""
    client.post(reverse("records:feedback_reply", args=[a.pk]), {"reply": "谢谢，朗读我再练。"})
    fb = Feedback.objects.get(activity=a)
    assert fb.reply == "谢谢，朗读我再练。" and fb.replied_at is not None
    note = Notification.objects.get(person=world.observer.person)
    assert "张老师" in note.title and note.link == reverse("records:detail", args=[a.pk])
    client.force_login(world.observer)
    own = client.get(reverse("records:detail", args=[a.pk])).content.decode()
    assert "谢谢，朗读我再练。" in own and "张老师 已于" in own
    assert fb.history.count() >= 2  # 已阅, then 回复: the audit trail


def test_notification_goes_by_email_when_the_org_sends_email(
    client, cast, world, django_capture_on_commit_callbacks
):
    cast.teacher.email = "zhang@example.com"
    cast.teacher.save()
    with django_capture_on_commit_callbacks(execute=True):
        observe(client, cast, world.observer)
    assert [m.to for m in mail.outbox] == [["zhang@example.com"]]
    assert "孙老师" in mail.outbox[0].subject


def test_home_and_menu_show_the_feedback(client, cast, world):
    client.force_login(cast.teacher)
    home = client.get(reverse("home")).content.decode()
    assert "1 条新的听课反馈" in home and "我收到的听课反馈" in home
    feedback_services.acknowledge(activity=world.observation, by=cast.teacher)
    assert "新的听课反馈" not in client.get(reverse("home")).content.decode()
    assert feedback_selectors.new_count(cast.teacher) == 0


# ---- coverage -----------------------------------------------------------------------------


@pytest.fixture
def covered(cast, world):
    """Three observations of 张老师 (one scored 80 %, one acknowledged, one without anything)
    and one of 李老师 scored 60 %."""
    rubric = observation_rubric()
    teacher, colleague = cast.teacher.person, cast.other_teacher.person

    def scored(activity, percent_of_max):
        raw = {c.key: c.max * percent_of_max for c in rubric.criteria_list()}
        feedback_services.save_observation_feedback(
            activity=activity, by=world.observer, rubric=rubric, raw_scores=raw
        )

    scored(world.observation, Decimal("0.8"))
    ack = ActivityFactory(person=world.observer.person, observed=teacher, data={"comments": "好"})
    feedback_services.acknowledge(activity=ack, by=cast.teacher)
    ActivityFactory(person=world.observer.person, observed=teacher, data={"comments": ""})
    scored(ActivityFactory(person=cast.lead.person, observed=colleague), Decimal("0.6"))
    return world


def _rows(response) -> dict:
    return {p.name: p for p in response.context["page"].object_list}


def test_coverage_counts_per_teacher_and_group(client, cast, covered):
    client.force_login(cast.office)
    r = client.get(reverse("records:feedback_coverage"))
    assert r.status_code == 200
    rows = _rows(r)
    zhang, li = rows["张老师"], rows["李老师"]
    assert (zhang.n_observed, zhang.n_feedback, zhang.n_acknowledged, zhang.n_scored) == (
        3,
        2,
        1,
        1,
    )
    assert zhang.percent_avg == Decimal("80")
    assert (li.n_observed, li.n_feedback, li.n_acknowledged) == (1, 1, 0)
    assert "孙老师" in rows and "赵老师" not in rows  # the office's school only
    groups = {g.name: g for g in r.context["groups"]}
    chinese = groups["语文组"]
    assert (chinese.teachers, chinese.observed, chinese.feedback, chinese.scored) == (3, 4, 3, 2)
    assert chinese.percent_avg == Decimal("70.00")
    assert "按组汇总" in r.content.decode()


def test_coverage_for_a_lead_is_their_group(client, cast, covered):
    client.force_login(cast.lead)
    assert set(_rows(client.get(reverse("records:feedback_coverage")))) == {
        "张老师",
        "李老师",
        "王组长",
    }
    client.force_login(cast.district)
    assert "赵老师" in _rows(client.get(reverse("records:feedback_coverage")))


@pytest.mark.parametrize("who", ["teacher", "other_teacher", "outsider"])
def test_coverage_is_refused_to_teachers(client, cast, covered, who):
    client.force_login(getattr(cast, who))
    assert client.get(reverse("records:feedback_coverage")).status_code == 403
    assert client.get(reverse("records:feedback_coverage_export")).status_code == 403


def test_coverage_search_dates_and_export(client, cast, covered):
    client.force_login(cast.office)
    url = reverse("records:feedback_coverage")
    assert set(_rows(client.get(url, {"q": "张"}))) == {"张老师"}
    empty = client.get(url, {"q": "没有这个人"})
    assert "没有找到这位教师" in empty.content.decode()
    later = client.get(url, {"start": "2099-01-01"})
    assert _rows(later)["张老师"].n_observed == 0
    assert "这段时间还没有听课记录" in later.content.decode()
    r = client.get(reverse("records:feedback_coverage_export"), {"q": "张"})
    sheet = load_workbook(BytesIO(r.content)).active
    assert [c.value for c in sheet[2]][:4] == ["工号", "姓名", "学科", "被听课次数"]
    row = [c.value for c in sheet[3]]
    assert row[1] == "张老师" and row[3:] == [3, 2, 1, 1, 80]


def test_private_notes_and_ack_state_never_leave_through_the_list(client, cast, covered):
    feedback_services.save_observation_feedback(
        activity=covered.observation,
        by=covered.observer,
        rubric=None,
        private_notes="只给自己看",
    )
    for user in (cast.teacher, cast.lead, cast.office):
        client.force_login(user)
        for url in (reverse("records:feedback"), reverse("records:feedback_coverage")):
            assert "只给自己看" not in client.get(url).content.decode()
