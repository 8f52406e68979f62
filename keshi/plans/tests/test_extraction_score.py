"""Extraction quality against hand-made keys, the extract-plan command, and .docx reading."""

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from docx import Document as new_docx

from keshi.plans.extraction import extract, read_bytes, read_path
from keshi.plans.extraction.score import BAR, score

DATA = Path(__file__).parent / "data"
SAMPLES = Path(__file__).resolve().parents[4] / "shared" / "samples"
HELD_OUT = ["heldout-jiaokeshi", "heldout-jiaoyanzu", "heldout-hospital"]
REQUIRED_KEYS = ["source", "value", "value_max", "op", "unit", "period", "kind", "who"]


def figures_for(pairs: list[tuple[Path, Path]], capsys) -> dict:
    total = None
    with capsys.disabled():
        for plan, gold in pairs:
            result = score(json.loads(gold.read_text("utf-8")), extract(read_path(plan)).to_dict())
            print(f"\n{plan.name}: {result.figures()}")
            total = result if total is None else total + result
        print(f"overall: {total.figures()}")
    return total


def test_held_out_plans_meet_the_bar(capsys):
    total = figures_for([(DATA / f"{n}.txt", DATA / f"{n}.json") for n in HELD_OUT], capsys)
    figures = total.figures()
    assert total.meets_bar(), (figures, total.missed, total.spurious, total.wrong)
    assert figures["required"] >= 70


@pytest.mark.skipif(not SAMPLES.exists(), reason="shared samples not present")
def test_sample_plans_meet_the_bar(capsys):
    pairs = [
        (SAMPLES / "plans" / f"{n}.txt", SAMPLES / "gold" / f"{n}.json")
        for n in ("plan-a", "plan-b")
    ]
    total = figures_for(pairs, capsys)
    assert total.meets_bar(), (total.figures(), total.missed, total.spurious, total.wrong)


def test_score_rules():
    gold = [
        {
            "anchor": "每周听课不少于3节",
            "value": 3,
            "op": ">=",
            "period": "week",
            "kind": "observation",
        },
        {"anchor": "5—10分钟", "value": 10, "optional": True},
        {"anchor": "每月一篇", "value": 1, "period": "month"},
    ]
    item = {"value_max": None, "op": ">=", "unit": "节", "period": "term", "kind": "observation"}
    extracted = {
        "requirements": [
            {**item, "source": "各科教研员每周听课不少于3节", "value": 3},
            {**item, "source": "每次交流5—10分钟", "value": 5, "value_max": 10},
            {**item, "source": "2025年", "value": 2025},
        ],
        "targets": [],
    }
    result = score(gold, extracted)
    assert result.found == 1 and result.required == 2  # 每月一篇 missed
    assert result.extracted == 2 and result.correct == 1  # the optional-only item is neutral
    assert result.accuracy("period") == 0.0 and result.accuracy("kind") == 1.0
    assert set(BAR) == {"recall", "precision", "period", "kind"}


def test_command_json_contract(capsys):
    call_command("extract-plan", str(DATA / "heldout-hospital.txt"), format="json")
    result = json.loads(capsys.readouterr().out)
    assert list(result) == ["requirements", "targets"]
    assert all(list(item)[: len(REQUIRED_KEYS)] == REQUIRED_KEYS for item in result["requirements"])
    assert {"source", "metric", "value", "op", "unit", "period"} <= set(result["targets"][0])
    call_command("extract-plan", str(DATA / "heldout-hospital.txt"), format="json", sections=True)
    result = json.loads(capsys.readouterr().out)
    assert list(result) == ["requirements", "targets", "sections", "duties", "calendar"]


def test_command_table_and_score(capsys):
    call_command("extract-plan", str(DATA / "heldout-jiaoyanzu.txt"), sections=True)
    out = capsys.readouterr().out
    assert "不少于\t节\t每学期\t听课/听评课\t组长\t组长每学期听课不少于30节" in out
    assert "及格率\t不少于\t80%" in out and "张伟（组长）：负责全组" in out and "9月份\t" in out
    gold = DATA / "heldout-jiaoyanzu.json"
    call_command("extract-plan", str(DATA / "heldout-jiaoyanzu.txt"), score=str(gold))
    assert "召回率 100.0%" in capsys.readouterr().out
    call_command(
        "extract-plan", str(DATA / "heldout-jiaoyanzu.txt"), score=str(gold), format="json"
    )
    assert json.loads(capsys.readouterr().out)["recall"] == 1.0


def test_command_errors(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="找不到文件"):
        call_command("extract-plan", str(tmp_path / "missing.txt"))
    bad = tmp_path / "plan.docx"
    bad.write_bytes(b"PK not a docx")
    with pytest.raises(CommandError, match="Word"):
        call_command("extract-plan", str(bad))


def as_docx(text: str) -> bytes:
    """The plan as a Word document: paragraphs, with its 行事历 as a 月份/工作内容/负责人 table."""
    document = new_docx()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    cut = next(i for i, line in enumerate(lines) if line.endswith("行事历"))
    for line in lines[: cut + 1]:
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=3)
    for cell, title in zip(table.rows[0].cells, ("月份", "工作内容", "负责人"), strict=True):
        cell.text = title
    month = None
    for line in lines[cut + 1 :]:
        if line.endswith("："):
            month = line.rstrip("：")
            continue
        row = table.add_row().cells
        row[0].text, row[1].text, row[2].text = month, line.split("．", 1)[-1], "教科室"
    document.add_paragraph("以上安排如有变动，另行通知。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_reads_like_text():
    text = (DATA / "heldout-jiaokeshi.txt").read_text("utf-8")
    from_text = extract(read_bytes(text.encode("utf-8"), "plan.txt")).to_dict()
    from_docx = extract(read_bytes(as_docx(text), "plan.docx")).to_dict()
    assert from_docx["requirements"] == from_text["requirements"]
    assert from_docx["targets"] == from_text["targets"]
    assert from_docx["duties"] == from_text["duties"]
    table_items = [(c["months"], c["text"], c["owner"]) for c in from_docx["calendar"]]
    assert ([9], "制订教科室工作计划，各教研组制订组工作计划。", "教科室") in table_items
    assert ([1], "期末教学常规检查，课题阶段小结。", "教科室") in table_items
    assert ([1, 2], "教师寒假读书活动，撰写读后感。", "教科室") in table_items
    assert len(table_items) == len(from_text["calendar"])


def test_who_accuracy():
    item = {"value_max": None, "op": ">=", "unit": "节", "period": "term", "kind": "observation"}
    gold = [
        {"anchor": "校长每学期听课不少于30节", "value": 30, "owner": "role", "who": "校长"},
        {"anchor": "青年教师每学期上课2节", "value": 2, "owner": "person", "who": "青年教师"},
        {"anchor": "每位教师每学期听课15节", "value": 15},  # no owner: not counted for who
        {"anchor": "每月召开一次组长会", "value": 1, "owner": "org", "who": ""},
        {"anchor": "教师每学期写反思5篇", "value": 5, "owner": "person", "who": "教师"},
        {"anchor": "各教研组每周活动1次", "value": 7, "owner": "group"},
        {"anchor": "校长、主任每学期听课20节", "value": 20, "owner": "role", "who": "校长、主任"},
        {"anchor": "床位使用率85%", "value": 85, "owner": "org"},
    ]
    extracted = {
        "requirements": [
            {
                **item,
                "source": "校长每学期听课不少于30节",
                "value": 30,
                "owner": "role",
                "who": "校长",
            },
            {**item, "source": "青年教师每学期上课2节", "value": 2, "who": "青年教师的"},
            {**item, "source": "每位教师每学期听课15节", "value": 15, "owner": "role", "who": "x"},
            {**item, "source": "每月召开一次组长会", "value": 1, "owner": "person", "who": None},
            {**item, "source": "教师每学期写反思5篇", "value": 5, "owner": "person", "who": None},
            {
                **item,
                "source": "各教研组每周活动1次",
                "value": 7,
                "owner": "group",
                "who": "教研组",
            },
            {
                **item,
                "source": "校长、主任每学期听课20节",
                "value": 20,
                "owner": "role",
                "who": "校长",
            },
            {
                **item,
                "source": "校长、主任每学期听课20节",
                "value": 20,
                "owner": "role",
                "who": "主任",
            },
        ],
        "targets": [{"source": "床位使用率85%", "metric": "床位使用率", "value": 85, "op": ">="}],
    }
    result = score(gold, extracted)
    # right: 校长; 青年教师(的); 教师 → everyone; a group's unit; the post list; a target → org.
    # wrong: the org's meeting read as a person's quota.
    assert result.checks["who"] == [6, 7]
    assert result.figures()["who"] == round(6 / 7, 3)
    assert ("who", "每月召开一次组长会", "org", "person") in result.wrong
    # one key for a list of posts: the second post's item is correct, not spurious
    assert result.extracted == 9 and result.correct == 9 and result.spurious == []
    assert "who" not in BAR


def test_who_must_name_the_same_people():
    gold = [{"anchor": "每学期听课20节", "value": 20, "owner": "person", "who": "青年教师"}]
    base = {"source": "每学期听课20节", "value": 20, "value_max": None, "op": "="}
    for who, right in (("青年教师", True), (None, False), ("骨干教师", False), ("青年", True)):
        extracted = {"requirements": [{**base, "owner": "person", "who": who}], "targets": []}
        assert score(gold, extracted).checks["who"] == [int(right), 1], who
    everyone = [{"anchor": "每学期听课20节", "value": 20, "owner": "person", "who": ""}]
    extracted = {"requirements": [{**base, "owner": "person", "who": "骨干教师"}], "targets": []}
    assert score(everyone, extracted).checks["who"] == [0, 1]
