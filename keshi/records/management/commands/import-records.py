"""keshi import-records FILE --org CODE [--dry-run] [--format json]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keshi.org.models import Org
from keshi.org.roster import RowError
from keshi.records.imports import RecordImport, import_records


class Command(BaseCommand):
    help = "导入工作记录（.xlsx 或 .csv）；有任何错误则不写入，退出码为 1。见 docs/records.md。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="记录文件 .xlsx / .csv")
        parser.add_argument("--org", required=True, help="单位代码")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options) -> None:
        report = self._run(options)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            for error in report.errors:
                where = f"第{error.row}行" if error.row else "文件"
                column = f"［{error.column}］" if error.column else ""
                self.stderr.write(f"{where}{column}：{error.message}")
            if not report.errors:
                if report.ignored_columns:
                    self.stdout.write(f"忽略的列：{'、'.join(report.ignored_columns)}")
                suffix = "（试运行，未写入）" if options["dry_run"] else ""
                self.stdout.write(self.style.SUCCESS(f"导入 {report.created} 条记录{suffix}"))
        if report.errors:
            raise CommandError(f"有 {len(report.errors)} 处错误，未写入任何记录", returncode=1)

    def _run(self, options) -> RecordImport:
        org = Org.objects.filter(code=options["org"]).first()
        if org is None:
            return RecordImport(
                errors=[RowError(None, "--org", f"单位代码“{options['org']}”不存在")]
            )
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            return RecordImport(errors=[RowError(None, "", f"无法读取文件：{exc.strerror}")])
        return import_records(org=org, filename=path.name, data=data, dry_run=options["dry_run"])
