"""`keshi bench extraction`: the corpus's parts, the JSON contract, and the corpus itself."""

import io
import json
import shutil
from pathlib import Path

from django.core.management import call_command

from keshi.plans.bench_extraction import CORPUS, corpus_plans

DATA = Path(__file__).parent / "data"


def _corpus(tmp_path: Path) -> Path:
    for number, name in (
        (1, "heldout-jiaokeshi"),
        (2, "heldout-hospital"),
        (4, "heldout-jiaoyanzu"),
    ):
        for suffix in (".txt", ".json"):
            shutil.copy(DATA / f"{name}{suffix}", tmp_path / f"{number:02d}-{name}{suffix}")
    (tmp_path / "SOURCES-A.md").write_text(
        "| NN | file | genre | url | part | notes |\n| --- | --- | --- | --- | --- | --- |\n"
        "| 01 | 01-heldout-jiaokeshi.txt | 教科室 | http://example.org/1 | dev | |\n"
        "| 02 | 02-heldout-hospital.txt | 医院 | http://example.org/2 | heldout | 留出 |\n",
        "utf-8",
    )
    return tmp_path


def test_parts_come_from_sources_and_unnamed_plans_are_held_out(tmp_path):
    corpus = _corpus(tmp_path)
    shutil.copy(corpus / "01-heldout-jiaokeshi.txt", corpus / "05-unlisted.txt")
    parts = {p.number: p.part for p in corpus_plans(corpus)}
    assert parts == {1: "dev", 2: "heldout", 4: "heldout", 5: "heldout"}


def test_json_reports_each_part_apart(tmp_path):
    out = io.StringIO()
    call_command(
        "bench",
        "extraction",
        "--corpus",
        str(_corpus(tmp_path)),
        "--runs",
        "1",
        "--format",
        "json",
        stdout=out,
        stderr=io.StringIO(),
    )
    result = json.loads(out.getvalue())
    assert result["plans"] == 3
    # The parts are scored apart: 01 alone is dev; 02 and 04 pooled are heldout.
    jiaokeshi = len(
        [
            g
            for g in json.loads((DATA / "heldout-jiaokeshi.json").read_text("utf-8"))
            if not g.get("optional")
        ]
    )
    assert result["dev"]["required"] == jiaokeshi
    assert result["heldout"]["required"] > result["dev"]["required"] - jiaokeshi
    assert result["engine_s"] > result["floor_s"] > 0
    assert result["ratio"] == result["engine_s"] / result["floor_s"]


def test_the_corpus_is_whole():
    """At least 40 real plans, a fifth of them put aside, every anchor found in its text."""
    plans = corpus_plans(CORPUS)
    assert len(plans) >= 40
    assert sum(p.part == "heldout" for p in plans) >= len(plans) // 5
    for plan in plans:
        text = plan.text.read_text("utf-8")
        for item in json.loads(plan.key.read_text("utf-8")):
            assert item["anchor"] in text, (plan.text.name, item["anchor"])
    sources = "".join(p.read_text("utf-8") for p in CORPUS.glob("SOURCES*.md"))
    assert all(f"| {p.number:02d} |" in sources for p in plans)


def test_held_out_plans_get_no_line_of_their_own(tmp_path, capsys):
    """Per-plan lines and misses are printed for dev plans only; ``--part dev`` leaves the
    held-out plans out altogether."""
    corpus = _corpus(tmp_path)
    for part in ("all", "dev"):
        out = io.StringIO()
        call_command(
            "bench",
            "extraction",
            "--corpus",
            str(corpus),
            "--runs",
            "1",
            "--misses",
            "--part",
            part,
            "--format",
            "json",
            stdout=out,
            stderr=io.StringIO(),
        )
        captured = capsys.readouterr()
        said = out.getvalue() + captured.out + captured.err
        assert "01-heldout-jiaokeshi [dev]" in said
        assert "02-heldout-hospital" not in said and "04-heldout-jiaoyanzu" not in said
        result = json.loads(out.getvalue())
        assert bool(result["heldout"]) == (part == "all")


def test_no_held_out_plans_is_not_a_goal_met(tmp_path, capsys):
    out = io.StringIO()
    call_command(
        "bench",
        "extraction",
        "--corpus",
        str(_corpus(tmp_path)),
        "--runs",
        "1",
        "--part",
        "dev",
        stdout=out,
        stderr=io.StringIO(),
    )
    said = out.getvalue() + capsys.readouterr().out
    assert "全部达到" not in said
    assert "未评" in said
