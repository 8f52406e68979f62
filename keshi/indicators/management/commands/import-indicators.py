import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keshi.indicators.imports import import_figures
from keshi.org.models import Org


class Command(BaseCommand):
    help = (
        "从 Excel（.xlsx）或 .csv 导入指标月度实际值：全部正确才写入，"
        "错误按行和列列出。列：科室、指标、月份、数值（或分子、分母）。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file")
        parser.add_argument("--org", required=True, help="单位代码")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, file, org, dry_run=False, format="text", **options) -> None:
        target = Org.objects.filter(code=org).first()
        if target is None:
            raise CommandError(f"没有单位代码为 {org} 的单位")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{file}")
        result = import_figures(path.name, path.read_bytes(), org=target, by=None, dry_run=dry_run)
        if format == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False))
        else:
            for e in result.errors:
                where = f"第{e.row}行" if e.row else "文件"
                column = f"“{e.column}”列" if e.column else ""
                self.stdout.write(f"{where}{column}：{e.message}")
            if not result.errors:
                verb = "将" if dry_run else "已"
                self.stdout.write(
                    f"{verb}新增 {result.created} 条，{verb}更新 {result.updated} 条。"
                )
        if result.errors:
            raise CommandError(f"{len(result.errors)} 处错误，未导入任何数据。")
