from hypothesis import given
from hypothesis import strategies as st

from keshi.research import lifecycle as lc


@given(st.data())
def test_every_path_from_declared_ends_in_conclusion_or_withdrawal(data):
    status, path = lc.DECLARED, [lc.DECLARED]
    for _ in range(len(lc.TRANSITIONS)):  # acyclic: no path is longer than the statuses
        options = sorted(lc.TRANSITIONS[status])
        if not options:
            break
        target = data.draw(st.sampled_from(options))
        assert lc.allowed(status, target)
        status = target
        path.append(status)
    assert status in {lc.CONCLUDED, lc.WITHDRAWN}, path
    assert len(set(path)) == len(path)


def test_only_conclusion_and_withdrawal_are_ends():
    assert lc.reachable_ends() == {lc.CONCLUDED, lc.WITHDRAWN}
    assert {lc.CONCLUDED, lc.WITHDRAWN} == lc.TERMINAL


@given(
    st.sampled_from(lc.STAGES),
    st.sets(
        st.sampled_from(["申报书", "立项通知书", "开题报告", "中期报告", "结题报告", "研究成果"])
    ),
)
def test_advancing_needs_every_required_document(stage, present):
    missing = [d for d in lc.REQUIRED_DOCUMENTS[stage] if d not in present]
    try:
        lc.check_advance(status=stage, stage=stage, documents=present, decision_passed=True)
    except lc.TransitionRefused as exc:
        assert missing and "缺少材料" in str(exc)
    else:
        assert not missing


def test_advancing_needs_a_passing_decision_and_an_allowed_step():
    docs = {"开题报告"}
    try:
        lc.check_advance(status=lc.OPENED, stage=lc.OPENED, documents=docs, decision_passed=False)
    except lc.TransitionRefused as exc:
        assert "通过" in str(exc)
    else:
        raise AssertionError("advanced without a decision")
    assert (
        lc.check_advance(status=lc.OPENED, stage=lc.OPENED, documents=docs, decision_passed=True)
        == lc.MIDTERM
    )
    # A withdrawn project never advances.
    try:
        lc.check_advance(status=lc.WITHDRAWN, stage=lc.OPENED, documents=docs, decision_passed=True)
    except lc.TransitionRefused:
        pass
    else:
        raise AssertionError("withdrawn project advanced")
    # 延期 during 中期检查 still leads to 结题.
    assert (
        lc.check_advance(
            status=lc.EXTENDED, stage=lc.MIDTERM, documents={"中期报告"}, decision_passed=True
        )
        == lc.CONCLUDED
    )
