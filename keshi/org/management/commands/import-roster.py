"""keshi import-roster FILE --org CODE [--dry-run] [--create-groups] [--format json]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keshi.org.models import Org
from keshi.org.roster import RowError
from keshi.org.services import ImportReport, import_roster


class Command(BaseCommand):
    help = "导入教师名册（.xlsx 或 .csv）；有任何错误则不写入，退出码为 1。见 docs/roster.md。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="名册文件 .xlsx / .csv")
        parser.add_argument("--org", required=True, help="单位代码")
        parser.add_argument("--dry-run", action="store_true", help="只校验并报告，不写入")
        parser.add_argument(
            "--create-groups",
            action="store_true",
            help="自动新建名册中不存在的教研组/备课组/年级组",
        )
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options) -> None:
        report = self._run(options)
        if options["format"] == "json":
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False))
        else:
            self._write_text(report, options)
        if report.errors:
            raise CommandError(f"名册有 {len(report.errors)} 处错误，未写入任何数据", returncode=1)

    def _run(self, options) -> ImportReport:
        org = Org.objects.filter(code=options["org"]).first()
        if org is None:
            return ImportReport(
                errors=[RowError(None, "--org", f"单位代码“{options['org']}”不存在")]
            )
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            return ImportReport(errors=[RowError(None, "", f"无法读取文件：{exc.strerror}")])
        return import_roster(
            org=org,
            filename=path.name,
            data=data,
            create_groups=options["create_groups"],
            dry_run=options["dry_run"],
        )

    def _write_text(self, report: ImportReport, options) -> None:
        for error in report.errors:
            where = f"第{error.row}行" if error.row else "文件"
            column = f"［{error.column}］" if error.column else ""
            self.stderr.write(f"{where}{column}：{error.message}")
        if report.missing_groups:
            self.stderr.write("提示：加上 --create-groups 可自动新建名册中不存在的组")
        if report.errors:
            return
        for name, kind in report.new_groups:
            self.stdout.write(f"新建{kind}：{name}")
        if report.ignored_columns:
            self.stdout.write(f"忽略的列：{'、'.join(report.ignored_columns)}")
        summary = f"新增 {report.created} 人，更新 {report.updated} 人，不变 {report.unchanged} 人"
        suffix = "（试运行，未写入）" if options["dry_run"] else ""
        self.stdout.write(self.style.SUCCESS(summary + suffix))
