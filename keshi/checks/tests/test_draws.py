import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from keshi.checks import lottery, services
from keshi.checks.models import Draw
from keshi.checks.tests.factories import person
from keshi.org.tests.factories import PersonFactory

SUBJECTS = ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "政治"]


@pytest.fixture
def draw(cast) -> Draw:
    return services.commit_draw(
        org=cast.school,
        title="初一教案抽查",
        population=SUBJECTS,
        k=3,
        by=cast.office,
        population_kind=Draw.Population.SUBJECTS,
        drawer=person(cast.lead),
    )


def test_commit_then_reveal(cast, draw):
    assert draw.commitment == lottery.commitment(draw.seed) and not draw.revealed
    assert draw.result == [] and draw.committed_at
    revealed = services.reveal_draw(draw=draw, by=cast.lead)
    assert revealed.result == lottery.draw(draw.seed, SUBJECTS, 3)
    assert revealed.drawn_by == cast.lead and revealed.revealed_at
    with pytest.raises(ValidationError, match="已经抽过"):
        services.reveal_draw(draw=revealed, by=cast.office)
    assert revealed.history.count() == 2


def test_invalid_population_writes_nothing(cast):
    with pytest.raises(ValidationError, match="重复"):
        services.commit_draw(
            org=cast.school, title="x", population=["甲", "甲"], k=1, by=cast.office
        )
    with pytest.raises(ValidationError) as exc:
        services.commit_pair(
            org=cast.school,
            grade="初一",
            subjects=SUBJECTS,
            k_subjects=3,
            classes=["初一(1)班"],
            k_classes=3,
            by=cast.office,
        )
    assert "classes" in exc.value.message_dict
    assert Draw.objects.count() == 0


def test_pair_commits_two_draws(cast):
    lesson, homework = services.commit_pair(
        org=cast.school,
        grade="初二",
        subjects=SUBJECTS,
        k_subjects=3,
        classes=[f"初二({i})班" for i in range(1, 9)],
        k_classes=3,
        by=cast.office,
    )
    assert lesson.title == "初二教案抽查（抽学科）" and lesson.population_kind == "subjects"
    assert homework.population[0] == "初二(1)班" and homework.k == 3
    assert lesson.seed != homework.seed


def test_redraw_needs_a_reason_and_keeps_the_old_draw(cast, draw):
    with pytest.raises(ValidationError, match="尚未抽签"):
        services.redraw(draw=draw, reason="缺考", by=cast.office)
    services.reveal_draw(draw=draw, by=cast.office)
    with pytest.raises(ValidationError, match="必须写明原因"):
        services.redraw(draw=draw, reason="  ", by=cast.office)
    new = services.redraw(draw=draw, reason="物理组外出教研，无法检查", by=cast.office)
    assert new.redraw_of == draw and new.population == draw.population and new.seed != draw.seed
    with pytest.raises(ValidationError, match="已经重抽过"):
        services.redraw(draw=draw, reason="再来", by=cast.office)
    draw.refresh_from_db()
    assert draw.result and draw.revealed


def test_verify_command(cast, draw, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("draw", "verify", str(draw.pk))
    assert exit_.value.code == 1  # not drawn yet
    services.reveal_draw(draw=draw, by=cast.office)
    call_command("draw", "verify", str(draw.pk))
    out = capsys.readouterr().out
    assert "验证通过" in out and draw.commitment in out and draw.seed in out


@pytest.mark.parametrize(
    "tamper",
    [
        lambda d: setattr(d, "seed", "a" * 64),
        # Without a drawn item, the population can never give the recorded result again.
        lambda d: setattr(
            d, "population", ["其他", *(x for x in d.population if x != d.result[0])]
        ),
        lambda d: setattr(d, "result", [x for x in d.population if x not in d.result][:3]),
        lambda d: setattr(d, "commitment", lottery.commitment("b" * 64)),
        lambda d: setattr(d, "k", 2),
    ],
    ids=["seed", "population", "result", "commitment", "k"],
)
def test_tampered_draw_fails_verification(cast, draw, tamper, capsys):
    draw = services.reveal_draw(draw=draw, by=cast.office)
    tamper(draw)
    draw.save()
    with pytest.raises(SystemExit) as exit_:
        call_command("draw", "verify", str(draw.pk))
    assert exit_.value.code == 1
    assert "验证失败" in capsys.readouterr().err
    from django.test import Client  # the page says the same

    client = Client()
    client.force_login(cast.teacher)
    client_page = client.post(reverse("checks:draw", args=[draw.pk]), {"action": "verify"})
    assert "验证失败" in client_page.content.decode()


# ---- pages -----------------------------------------------------------------------------------


def test_draw_pages_by_role(client, cast, draw):
    url = reverse("checks:draw", args=[draw.pk])
    for user in (
        cast.teacher,
        cast.other_teacher,
        cast.lead,
        cast.office,
        cast.leader,
        cast.district,
    ):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert draw.commitment in body and draw.seed not in body, user
        assert "初一教案抽查" in client.get(reverse("checks:draws")).content.decode()
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    assert "初一教案抽查" not in client.get(reverse("checks:draws")).content.decode()


def test_only_drawer_or_office_draws(client, cast, draw):
    url = reverse("checks:draw_reveal", args=[draw.pk])
    client.force_login(cast.teacher)
    assert client.post(url).status_code == 403
    client.force_login(cast.leader)
    assert client.post(url).status_code == 403
    client.force_login(cast.lead)  # the named drawer (年级主任)
    assert client.post(url).status_code == 302
    draw.refresh_from_db()
    assert draw.revealed and draw.drawn_by == cast.lead
    client.force_login(cast.teacher)
    page = client.post(reverse("checks:draw", args=[draw.pk]), {"action": "verify"})
    body = page.content.decode()
    assert "验证通过" in body and draw.seed in body and "、".join(draw.result) in body


def test_office_creates_pair_with_presets(client, cast):
    PersonFactory(org=cast.school, subject="数学")
    client.force_login(cast.office)
    page = client.get(reverse("checks:draw_pair"))
    assert page.status_code == 200
    assert "语文\n数学" in page.content.decode()  # subjects pre-filled from Person.subject
    bad = client.post(
        reverse("checks:draw_pair"),
        {
            "grade": "初一",
            "subjects": "语文\n数学",
            "k_subjects": 3,
            "classes": "1班\n2班",
            "k_classes": 1,
        },
    )
    assert "抽取数量应在 1 到 2 之间" in bad.content.decode() and Draw.objects.count() == 0
    ok = client.post(
        reverse("checks:draw_pair"),
        {
            "grade": "初一",
            "subjects": "语文\n数学\n英语\n物理",
            "k_subjects": 3,
            "classes": "初一(1)班\n初一(2)班\n初一(3)班\n初一(4)班",
            "k_classes": 3,
            "drawer": person(cast.lead).pk,
        },
    )
    assert ok.status_code == 302
    assert Draw.objects.filter(org=cast.school, drawer__user=cast.lead).count() == 2


def test_teachers_cannot_create_draws(client, cast):
    for user in (cast.teacher, cast.lead, cast.leader, cast.outsider):
        client.force_login(user)
        assert client.get(reverse("checks:draw_new")).status_code == 403
        assert client.get(reverse("checks:draw_pair")).status_code == 403


def test_redraw_page(client, cast, draw):
    services.reveal_draw(draw=draw, by=cast.office)
    url = reverse("checks:draw_redraw", args=[draw.pk])
    client.force_login(cast.lead)
    assert client.get(url).status_code == 403
    client.force_login(cast.office)
    empty = client.post(url, {"reason": ""})
    assert empty.status_code == 200 and Draw.objects.count() == 1
    done = client.post(url, {"reason": "该学科本周集体外出"})
    new = Draw.objects.get(redraw_of=draw)
    assert done.url == reverse("checks:draw", args=[new.pk])
    old_page = client.get(reverse("checks:draw", args=[draw.pk])).content.decode()
    assert "已重抽" in old_page and "该学科本周集体外出" in old_page
