"""学科竞赛: 报名 → 预赛 → 复赛 → 成绩发布, with who advances by top N or by a score line."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from keshi.contests import rounds, services
from keshi.contests.aggregate import advancing
from keshi.contests.models import Contest, Entry
from keshi.contests.tests.factories import contest, person
from keshi.org.tests.factories import PersonFactory

D = Decimal


def test_top_n_takes_everyone_tied_at_the_cut():
    scores = {"a": D(90), "b": D(85), "c": D(85), "d": D(70), "e": None}
    assert advancing(scores, top=2) == {"a", "b", "c"}
    assert advancing(scores, top=1) == {"a"}


def test_line_includes_the_line_and_absent_never_advances():
    scores = {"a": D(60), "b": D("59.99"), "c": None}
    assert advancing(scores, line=D(60)) == {"a"}
    assert advancing(scores) == {"a", "b"}
    assert advancing(scores, top=5, line=D(60)) == {"a"}


@given(
    st.dictionaries(
        st.integers(0, 30), st.none() | st.integers(0, 100).map(D), min_size=1, max_size=15
    ),
    st.integers(1, 10),
)
def test_advancers_are_exactly_those_with_fewer_than_n_strictly_better(scores, top):
    going = advancing(scores, top=top)
    present = {k: v for k, v in scores.items() if v is not None}
    for k, v in present.items():
        better = sum(1 for w in present.values() if w > v)
        assert (k in going) == (better < top)
    assert going <= set(present)


def _subject(cast, n=5):
    c = contest(cast, title="初中数学学科竞赛", kind=Contest.Kind.SUBJECT, quota_first=1,
                quota_second=1, quota_third=1)  # fmt: skip
    people = [person(u) for u in (cast.teacher, cast.other_teacher, cast.lead)]
    people += [PersonFactory(org=cast.school, name=f"选手{i}") for i in range(n - 3)]
    entries = [
        services.submit_entry(contest=c, person=p, title="初中数学") for p in people[:n]
    ]  # 报名: no document
    services.advance(contest=c, by=cast.office)
    services.advance(contest=c, by=cast.office)  # 评审: the rounds
    return c, entries


def test_rounds_from_signup_to_published_results(cast):
    c, entries = _subject(cast)
    ids = [e.pk for e in entries]
    with pytest.raises(ValidationError, match="各轮比赛结束"):
        services.advance(contest=c, by=cast.office)
    prelim = rounds.open_round(contest=c, by=cast.office, advance_top=3)
    assert prelim.name == "预赛" and prelim.scores.count() == 5
    with pytest.raises(ValidationError, match="尚未结束"):
        rounds.open_round(contest=c, by=cast.office)
    with pytest.raises(PermissionDenied):
        rounds.save_round_scores(round_=prelim, by=cast.teacher, scores={ids[0]: D(1)})
    # 3rd place is a tie → four go on; the absent one does not
    rounds.save_round_scores(
        round_=prelim,
        by=cast.office,
        scores=dict(zip(ids, [D(95), D(90), D(80), D(80), None], strict=True)),
    )
    assert rounds.close_round(round_=prelim, by=cast.office) == set(ids[:4])
    with pytest.raises(ValidationError, match="已结束"):
        rounds.save_round_scores(round_=prelim, by=cast.office, scores={ids[0]: D(1)})
    final = rounds.open_round(contest=c, by=cast.office, advance_line=D(60))
    assert final.name == "复赛"
    assert {s.entry_id for s in final.scores.all()} == set(ids[:4])
    with pytest.raises(ValidationError, match="不在本轮"):
        rounds.save_round_scores(round_=final, by=cast.office, scores={ids[4]: D(99)})
    rounds.save_round_scores(
        round_=final,
        by=cast.office,
        scores=dict(zip(ids[:4], [D(70), D(88), D(88), D(50)], strict=True)),
    )
    rounds.close_round(round_=final, by=cast.office)
    services.advance(contest=c, by=cast.office)  # 公示: ranked on the last round only
    got = {e.pk: (e.score, e.rank, e.award) for e in Entry.objects.filter(contest=c)}
    assert got == {
        ids[1]: (D("88.00"), 1, "first"),
        ids[2]: (D("88.00"), 1, "first"),
        ids[0]: (D("70.00"), 3, "third"),
        ids[3]: (D("50.00"), 4, ""),
        ids[4]: (None, None, ""),
    }


def test_rounds_only_for_subject_contests_in_review(cast):
    paper = contest(cast)
    with pytest.raises(ValidationError, match="学科竞赛"):
        rounds.open_round(contest=paper, by=cast.office)
    c = contest(cast, title="竞赛", kind=Contest.Kind.SUBJECT)
    services.submit_entry(contest=c, person=person(cast.teacher), title="数学")
    with pytest.raises(ValidationError, match="评审"):
        rounds.open_round(contest=c, by=cast.office)


def test_round_pages(client, cast):
    c, entries = _subject(cast, n=3)
    client.force_login(cast.office)
    response = client.post(reverse("contests:round_new", args=[c.pk]), {"advance_top": "2"})
    r = c.rounds.get()
    assert response.status_code == 302 and r.advance_top == 2
    page = client.get(reverse("contests:round", args=[r.pk])).content.decode()
    assert "张老师" in page and 'id="save-round"' in page
    bad = client.post(
        reverse("contests:round_scores", args=[r.pk]), {f"s{entries[0].pk}": "九十"}, follow=True
    )
    assert "不是数字" in bad.content.decode()
    client.post(
        reverse("contests:round_scores", args=[r.pk]),
        {f"s{e.pk}": v for e, v in zip(entries, ["90", "80", "70"], strict=True)},
    )
    assert [s.score for s in r.scores.order_by("entry_id")] == [D(90), D(80), D(70)]
    # an open round is the office's business; once closed, the org sees who went on
    client.force_login(cast.teacher)
    assert client.get(reverse("contests:round", args=[r.pk])).status_code == 404
    assert client.post(reverse("contests:round_close", args=[r.pk])).status_code == 404
    client.force_login(cast.office)
    client.post(reverse("contests:round_close", args=[r.pk]))
    client.force_login(cast.other_teacher)
    page = client.get(reverse("contests:round", args=[r.pk])).content.decode()
    assert "张老师" in page and "晋级" in page and 'id="save-round"' not in page
    client.force_login(cast.outsider)
    assert client.get(reverse("contests:round", args=[r.pk])).status_code == 404
    client.force_login(cast.leader)
    assert client.get(reverse("contests:round_new", args=[c.pk])).status_code == 403
