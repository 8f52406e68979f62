"""keshi export-roster --org CODE -o FILE.xlsx"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keshi.org.models import Org
from keshi.org.services import export_roster


class Command(BaseCommand):
    help = "导出单位的教师名册为 .xlsx（可原样再导入）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", required=True, help="单位代码")
        parser.add_argument("-o", "--output", required=True, help="输出文件 .xlsx")

    def handle(self, *args, **options) -> None:
        org = Org.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(f"单位代码“{options['org']}”不存在")
        output = Path(options["output"])
        if output.suffix.lower() != ".xlsx":
            raise CommandError("输出文件须以 .xlsx 结尾")
        output.write_bytes(export_roster(org=org))
        self.stdout.write(self.style.SUCCESS(f"已导出 {org.people.count()} 人到 {output}"))
