"""``keshi weekly-schedule --org CODE --week N [--term T] --format docx|json [-o FILE]``.

A server operator's tool (like ``plan-docx``): the 每周工作安排 of any org, draft or published.
``--term`` is a term id or ``2026-1`` (school year starting 2026, 第一学期); by default the
org's current term. JSON goes to standard output unless ``-o`` names a file; Word needs a file
(default ``<单位>第N周工作安排.docx`` in the current folder).
"""

import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term
from keshi.org.models import Org
from keshi.weekly import selectors
from keshi.weekly.api import sheet_data
from keshi.weekly.documents import sheet_docx


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "导出某单位某教学周的每周工作安排（Word 或 JSON）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", required=True, help="单位代码")
        parser.add_argument("--week", required=True, type=int, help="第N周")
        parser.add_argument("--term", help="学期 id 或“2026-1”（学年起始年-学期），默认当前学期")
        parser.add_argument("--format", choices=("docx", "json"), default="docx")
        parser.add_argument("-o", "--output", help="输出文件")

    def handle(self, *args, **options) -> None:
        org = Org.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(f"单位代码“{options['org']}”不存在")
        term = _term(org, options.get("term"))
        week = selectors.week_of(term, options["week"])
        if week is None:
            raise CommandError(f"{term}没有第{options['week']}周")
        schedule = selectors.schedule_of(org, term, week.number)
        sheet = selectors.build_sheet(org, term, week, schedule)
        output = options.get("output")
        if options["format"] == "json":
            text = json.dumps(
                sheet_data(sheet, org.code, term.pk), cls=DjangoJSONEncoder, ensure_ascii=False
            )
            if not output:
                self.stdout.write(text)
                return
            Path(output).write_text(text + "\n", encoding="utf-8")
        else:
            output = output or f"{sheet.title}.docx"
            if not output.lower().endswith(".docx"):
                raise CommandError("输出文件须以 .docx 结尾")
            Path(output).write_bytes(sheet_docx(sheet))
        self.stdout.write(f"已导出{sheet.title}到 {output}")


def _term(org: Org, given: str | None) -> Term:
    terms = Term.objects.filter(school_year__org=org).select_related("school_year")
    if not given:
        found = current_term(org)
    elif given.isdigit():
        found = terms.filter(pk=int(given)).first()
    elif m := re.fullmatch(r"(\d{4})-([12])", given):
        found = terms.filter(school_year__start_year=int(m[1]), number=int(m[2])).first()
    else:
        raise CommandError("--term 应为学期 id 或“2026-1”这样的写法")
    if found is None:
        raise CommandError(f"{org.name}没有这个学期" if given else f"{org.name}还没有设置学期")
    return found
