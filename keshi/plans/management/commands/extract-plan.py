"""``keshi extract-plan FILE [--format json] [--sections] [--score GOLD.json]``."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keshi.plans.extraction import extract, read_path
from keshi.plans.extraction.reader import UnreadableFile
from keshi.plans.extraction.score import BAR, score
from keshi.records.kinds import BUILTIN_KINDS

OPS = {">=": "不少于", "<=": "不超过", "=": "等于", ">": "超过", "<": "少于"}
PERIODS = {"day": "每天", "week": "每周", "2weeks": "每两周", "month": "每月", "quarter": "每季度"}
PERIODS |= {"half-year": "每半年", "term": "每学期", "year": "每学年", None: "—"}
KINDS = {kind["code"]: kind["label"] for kind in BUILTIN_KINDS} | {"inspection": "检查/抽查"}


def _number(value) -> str:
    return "—" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))


class Command(BaseCommand):
    help = (
        "从工作计划（.txt 或 .docx）中抽取量化要求和指标；--score 对照标准答案计算召回率和准确率。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="工作计划文件（.txt UTF-8/GBK 或 .docx）")
        parser.add_argument("--format", choices=["table", "json"], default="table")
        parser.add_argument("--sections", action="store_true", help="同时列出栏目、分工和行事历")
        parser.add_argument(
            "--score", metavar="GOLD.json", help="标准答案文件：输出召回率、准确率等"
        )

    def handle(self, *args, file: str, format: str, sections: bool, score: str | None, **options):
        try:
            result = extract(read_path(file)).to_dict()
        except FileNotFoundError:
            raise CommandError(f"找不到文件：{file}") from None
        except UnreadableFile as error:
            raise CommandError(str(error)) from None
        if score:
            self._score(Path(score), result, as_json=format == "json")
        elif format == "json":
            if not sections:
                result = {key: result[key] for key in ("requirements", "targets")}
            self.stdout.write(json.dumps(result, ensure_ascii=False, indent=1))
        else:
            self._table(result, sections=sections)

    def _score(self, gold_path: Path, result: dict, *, as_json: bool) -> None:
        try:
            gold = json.loads(gold_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"无法读取标准答案 {gold_path}：{error}") from None
        found = score(gold, result)
        figures = found.figures()
        if as_json:
            self.stdout.write(json.dumps(figures, ensure_ascii=False))
            return
        self.stdout.write(
            f"召回率 {figures['recall']:.1%}（{figures['found']}/{figures['required']}）  "
            f"准确率 {figures['precision']:.1%}（抽出 {figures['extracted']} 条）  "
            f"周期正确 {figures['period']:.1%}  类型正确 {figures['kind']:.1%}  "
            f"比较正确 {figures['op']:.1%}"
        )
        bar = "、".join(f"{name} ≥ {value}" for name, value in BAR.items())
        self.stdout.write(("达标" if found.meets_bar() else "未达标") + f"（{bar}）")
        for anchor in found.missed:
            self.stdout.write(f"  漏抽：{anchor}")
        for source, value in found.spurious:
            self.stdout.write(f"  多抽：{source}（{value}）")
        for name, anchor, want, got in found.wrong:
            self.stdout.write(f"  {name} 不符：{anchor}（应为 {want}，抽出 {got}）")

    def _table(self, result: dict, *, sections: bool) -> None:
        write = self.stdout.write
        write(f"量化要求（{len(result['requirements'])} 条）")
        write("数量\t比较\t单位\t周期\t类型\t对象\t原文")
        for item in result["requirements"]:
            amount = _number(item["value"])
            if item["value_max"] is not None:
                amount += "～" + _number(item["value_max"])
            kind = KINDS.get(item["kind"], "—")
            write(
                f"{amount}\t{OPS[item['op']]}\t{item['unit']}\t{PERIODS.get(item['period'], item['period'])}"
                f"\t{kind}\t{item['who'] or '全体'}\t{item['source']}"
            )
        write(f"\n指标（{len(result['targets'])} 条）")
        write("指标\t比较\t数值\t周期\t原文")
        for item in result["targets"]:
            amount = _number(item["value"]) + item["unit"]
            if item["value_max"] is not None:
                amount += "～" + _number(item["value_max"]) + item["unit"]
            write(
                f"{item['metric']}\t{OPS[item['op']]}\t{amount}\t{PERIODS.get(item['period'], '—')}"
                f"\t{item['source']}"
            )
        if sections:
            write("\n栏目")
            for section in result["sections"]:
                write(
                    f"{'  ' * max(section['level'] - 1, 0)}{section['title']}（{section['kind']}）"
                )
            write("\n工作分工")
            for duty in result["duties"]:
                role = f"（{duty['role']}）" if duty["role"] else ""
                write(f"{duty['who']}{role}：{duty['duty']}")
            write("\n行事历")
            for item in result["calendar"]:
                owner = f"　负责：{item['owner']}" if item["owner"] else ""
                write(f"{item['when']}\t{item['text']}{owner}")
