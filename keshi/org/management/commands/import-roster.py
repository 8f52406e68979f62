"""keshi import-roster FILE --org CODE [--dry-run] [--create-groups] [--create-logins
[--credentials FILE.xlsx|.docx]] [--format json]"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keshi.accounts.logins import credentials_docx, credentials_xlsx, import_roster_with_logins
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
        parser.add_argument(
            "--create-logins",
            action="store_true",
            help="同时为名册中没有账号的人员开通登录（与名册在同一事务中，全有或全无）",
        )
        parser.add_argument(
            "--credentials",
            metavar="FILE",
            help="把初始密码写入此文件（.xlsx 账号表或 .docx 带二维码的账号条）；默认 logins-单位代码.xlsx",
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
        if options["create_logins"] and not options["dry_run"]:
            report, made = import_roster_with_logins(
                by=None,
                org=org,
                filename=path.name,
                data=data,
                create_groups=options["create_groups"],
            )
            if made:
                self._write_credentials(org, made, options["credentials"])
            return report
        return import_roster(
            org=org,
            filename=path.name,
            data=data,
            create_groups=options["create_groups"],
            dry_run=options["dry_run"],
        )

    def _write_credentials(self, org: Org, made: list, path: str | None) -> None:
        target = Path(path or f"logins-{org.code}.xlsx")
        write = credentials_docx if target.suffix.lower() == ".docx" else credentials_xlsx
        target.write_bytes(write(made, org))
        target.chmod(0o600)  # initial passwords
        self.stdout.write(f"已开通 {len(made)} 个登录账号，初始密码写入 {target}（首次登录须修改）")

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
