"""``keshi plan-docx PLAN_ID -o FILE [--as USERNAME]``: the plan as a printable Word document.

A server operator's tool like ``export-roster``: any plan, unless ``--as`` names a user whose
scope (keshi.org.scoping, as on the download page) must include the plan.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from keshi.plans.summary import ConsoleUser, document_plans
from keshi.plans.word import plan_docx


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "把工作计划导出为 Word 文档（.docx）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("plan_id", type=int, help="计划编号")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.docx）")
        parser.add_argument("--as", dest="as_user", help="按该账号的可见范围导出")

    def handle(self, *args, **options) -> None:
        output = Path(options["output"])
        if output.suffix.lower() != ".docx":
            raise CommandError("输出文件须以 .docx 结尾")
        user = _user(options.get("as_user"))
        plan = document_plans(user).filter(pk=options["plan_id"]).first()
        if plan is None:
            raise CommandError(f"计划 {options['plan_id']} 不存在，或该账号无权查看")
        output.write_bytes(plan_docx(plan))
        self.stdout.write(f"已导出《{plan.title}》到 {output}")


def _user(username: str | None):
    if not username:
        return ConsoleUser()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"账号“{username}”不存在")
    return user
