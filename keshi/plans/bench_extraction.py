"""`keshi bench extraction`: the extractor measured on the corpus of real public plans.

The corpus (keshi/plans/tests/corpus/) holds each plan's text (NN-slug.txt), its hand key
(NN-slug.json) and its source address in a SOURCES file, whose ``part`` column puts a quarter
of the plans aside (``heldout``): they are never used to tune the extractor, and are reported
apart from the ``dev`` part. Timing: the whole extraction against a floor measured in the
same run — reading the same texts and cutting them into clauses, the first pass of every
extraction — so the ratio says what the rest of the reading costs.

Only dev plans get a line of their own (and, with ``--misses``, their misses): a held-out plan
shows only in its part's total, so that tuning cannot look at it. ``--part dev`` leaves the
held-out plans out altogether (not read, not scored).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from keshi.plans.extraction import extract, read_path
from keshi.plans.extraction.clauses import split_lines
from keshi.plans.extraction.score import Score, score

CORPUS = Path(__file__).parent / "tests" / "corpus"
NEEDS_DATABASE = False  # pure text work: no scratch database
JSON_KEYS = ("engine_s", "floor_s", "ratio", "database", "plans", "dev", "heldout")
GOAL = {"recall": 0.95, "precision": 0.95, "period": 0.95, "op": 0.95, "kind": 0.9, "who": 0.9}


@dataclass(frozen=True)
class Plan:
    number: int
    text: Path
    key: Path
    part: str


def add_arguments(parser) -> None:
    parser.add_argument("--corpus", default=str(CORPUS), help="语料目录（含 SOURCES*.md）")
    parser.add_argument("--runs", type=int, default=3, help="计时重复次数（取最小值）")
    parser.add_argument("--misses", action="store_true", help="列出开发部分的漏检与误检")
    parser.add_argument(
        "--part",
        choices=("dev", "all"),
        default="all",
        help="dev：只计开发部分（留出部分不读不评）；all：两部分都评，逐份结果只列开发部分",
    )


def corpus_plans(folder: Path) -> list[Plan]:
    """Every plan of the corpus with its part, as its SOURCES rows state. A plan that no
    SOURCES row names is heldout: a text being added is never shown by accident."""
    parts: dict[int, str] = {}
    for sources in sorted(folder.glob("SOURCES*.md")):
        for line in sources.read_text("utf-8").splitlines():
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if cells and cells[0].isdigit() and ({"dev", "heldout"} & set(cells)):
                parts[int(cells[0])] = "heldout" if "heldout" in cells else "dev"
    plans = []
    for text in sorted(folder.glob("[0-9]*.txt")):
        number = int(text.name.split("-", 1)[0])
        part = parts.get(number, "heldout")
        plans.append(Plan(number, text, text.with_suffix(".json"), part))
    return plans


def _timed(work, runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    return best


def _total(scores: list[Score]) -> Score | None:
    total = None
    for one in scores:
        total = one if total is None else total + one
    return total


def run(options: dict, say) -> dict:
    plans = corpus_plans(Path(options["corpus"]))
    if options.get("part") == "dev":
        plans = [plan for plan in plans if plan.part == "dev"]
    if not plans:
        raise SystemExit(f"语料目录 {options['corpus']} 中没有计划文本。")
    texts = {plan.number: read_path(plan.text) for plan in plans}
    say(f"语料：{len(plans)} 份计划（留出 {sum(p.part == 'heldout' for p in plans)} 份）")

    floor_s = _timed(lambda: [split_lines(t.texts) for t in texts.values()], options["runs"])
    engine_s = _timed(lambda: [extract(t) for t in texts.values()], options["runs"])

    parts: dict[str, list[Score]] = {"dev": [], "heldout": []}
    for plan in plans:
        result = score(
            json.loads(plan.key.read_text("utf-8")), extract(texts[plan.number]).to_dict()
        )
        parts[plan.part].append(result)
        if plan.part != "dev":
            continue  # a held-out plan is reported only in its part's total, never alone
        say(f"  {plan.text.stem} [{plan.part}]: {_line(result.figures())}")
        if options.get("misses"):
            for anchor in result.missed:
                say(f"      漏检 {anchor}")
            for source, value in result.spurious:
                say(f"      误检 {value} ← {source}")
            for name, anchor, want, got in result.wrong:
                say(f"      {name} 应为 {want}，得到 {got} ← {anchor}")
    figures = {name: (_total(s).figures() if s else {}) for name, s in parts.items()}
    heldout = figures["heldout"]
    short = [k for k, goal in GOAL.items() if k in heldout and heldout[k] < goal]
    return {
        "engine_s": engine_s,
        "floor_s": floor_s,
        "ratio": engine_s / floor_s if floor_s else float("inf"),
        "database": "（无）",
        "plans": len(plans),
        "dev": figures["dev"],
        "heldout": heldout,
        "details": {
            "开发部分": _line(figures["dev"]),
            "留出部分": _line(heldout) or "（未评）",
            "留出部分目标": _verdict(heldout, short),
        },
    }


def _verdict(heldout: dict, short: list[str]) -> str:
    if not heldout:
        return "（未评：没有留出部分的计划）"
    return "全部达到" if not short else "未达到：" + "、".join(short)


def _line(figures: dict) -> str:
    return "，".join(f"{k} {v}" for k, v in figures.items())
