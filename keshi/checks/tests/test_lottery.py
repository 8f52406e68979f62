import hashlib
import re
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from keshi.checks import lottery

DOCS = Path(__file__).resolve().parents[3] / "docs" / "checks.md"
SEED = "0" * 63 + "1"


def _reference():
    """The verification snippet published in docs/checks.md, executed as written."""
    text = DOCS.read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)  # noqa: S102 — our own documentation
    return namespace["verify"]


def test_commitment_is_sha256_of_the_hex_string():
    assert lottery.commitment(SEED) == hashlib.sha256(SEED.encode()).hexdigest()
    seed = lottery.new_seed()
    assert lottery.SEED_RE.fullmatch(seed)


def test_draw_is_deterministic_and_known():
    population = ["语文", "数学", "英语", "物理", "化学", "生物", "历史", "地理", "政治"]
    first = lottery.draw(SEED, population, 3)
    assert first == lottery.draw(SEED, population, 3)
    assert len(set(first)) == 3 and set(first) <= set(population)
    # pinned: a change of the algorithm would break every published draw
    assert first == ["物理", "语文", "政治"]
    assert first == _reference()(SEED, lottery.commitment(SEED), population, 3, first)
    assert lottery.draw(SEED, population, 3) != lottery.draw("f" * 64, population, 3)


def test_population_order_matters():
    a = lottery.draw(SEED, ["甲", "乙", "丙", "丁"], 2)
    b = lottery.draw(SEED, ["丁", "丙", "乙", "甲"], 2)
    assert lottery.canonical(["甲", "乙"]) == '["甲","乙"]'.encode()
    # the same set in another order is another population: another message, another draw
    assert (a, b) == (["丁", "丙"], ["丙", "甲"])


@given(
    st.lists(
        st.text(min_size=1, max_size=6).map(str.strip).filter(bool),
        min_size=2,
        max_size=30,
        unique=True,
    ),
    st.data(),
)
def test_docs_snippet_agrees_with_the_implementation(population, data):
    k = data.draw(st.integers(1, len(population)))
    seed = data.draw(st.binary(min_size=32, max_size=32)).hex()
    result = lottery.draw(seed, population, k)
    assert len(result) == k and len(set(result)) == k and set(result) <= set(population)
    assert _reference()(seed, lottery.commitment(seed), population, k, result) == result
    check = lottery.verify(
        commitment_hex=lottery.commitment(seed),
        population=population,
        k=k,
        seed=seed,
        result=result,
    )
    assert check.ok


def test_roughly_uniform():
    population = ["A", "B", "C", "D", "E"]
    counts = Counter()
    for i in range(2000):
        seed = hashlib.sha256(str(i).encode()).hexdigest()
        counts[lottery.draw(seed, population, 1)[0]] += 1
    assert all(330 < counts[x] < 470 for x in population), counts


def test_tampering_is_detected():
    population = ["初一(1)班", "初一(2)班", "初一(3)班", "初一(4)班", "初一(5)班"]
    result = lottery.draw(SEED, population, 3)
    good = dict(
        commitment_hex=lottery.commitment(SEED),
        population=population,
        k=3,
        seed=SEED,
        result=result,
    )
    assert lottery.verify(**good).ok
    other_seed = lottery.verify(**{**good, "seed": "2" * 64})
    assert not other_seed.ok and not other_seed.commitment_ok
    swapped = lottery.verify(**{**good, "population": list(reversed(population))})
    assert swapped.commitment_ok and not swapped.result_ok
    wrong = [x for x in population if x not in result][:1] + result[1:]
    assert not lottery.verify(**{**good, "result": wrong}).ok
    assert not lottery.verify(**{**good, "seed": ""}).ok
    with pytest.raises(AssertionError, match="result"):
        _reference()(SEED, lottery.commitment(SEED), population, 3, wrong)


@pytest.mark.parametrize(
    ("items", "k", "message"),
    [(["甲"], 1, "至少要有两项"), (["甲", "乙"], 3, "1 到 2"), (["甲", "乙"], 0, "1 到 2")],
)
def test_bad_draws(items, k, message):
    with pytest.raises(lottery.LotteryError, match=message):
        lottery.draw(SEED, items, k)


def test_clean_population():
    assert lottery.clean_population([" 语文 ", "", "数学"]) == ["语文", "数学"]
    with pytest.raises(lottery.LotteryError, match="重复"):
        lottery.clean_population(["语文", "语文 "])
