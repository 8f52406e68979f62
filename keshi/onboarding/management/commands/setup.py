"""``keshi setup [--type school|district|hospital|kindergarten --name 名称 --code 代码 --admin 账号]``.

Asks for what is not given (when run at a terminal). The admin's password comes from
``KESHI_SETUP_PASSWORD``, or is asked twice at the terminal; it is never a command-line argument
(it would stay in the shell history and in the process list).
"""

import getpass
import os
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from keshi.onboarding import services

TYPES = [k.value for k in services.KINDS]
ASKED = {
    "kind": f"单位类型（{' / '.join(TYPES)}）",
    "name": "单位名称",
    "code": "单位代码（字母、数字、短横线）",
    "admin": "管理员账号",
}


class Command(BaseCommand):
    help = "空数据库的初始设置：创建单位、第一位科室管理员和当前学年（医院：当前年度；不创建超级用户）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--type", dest="kind", choices=TYPES, help="单位类型")
        parser.add_argument("--name", help="单位名称，如 示范中学")
        parser.add_argument("--code", help="单位代码，如 xhzx")
        parser.add_argument("--admin", help="管理员账号")
        parser.add_argument("--admin-name", default="", help="管理员姓名")
        parser.add_argument(
            "--year",
            type=int,
            help="学年的起始年份（默认为今天所在的学年）；医院为年度，如 2026（1月1日至12月31日）",
        )

    def handle(self, *args, **options) -> None:
        if services.is_set_up():
            raise CommandError("已完成初始设置（系统里已有单位），无需再次运行。")
        values = {key: options[key] or self._ask(key) for key in ASKED}
        try:
            done = services.set_up(
                kind=values["kind"],
                name=values["name"],
                code=values["code"],
                admin_username=values["admin"],
                admin_name=options["admin_name"],
                password=self._password(),
                start_year=options["year"],
            )
        except ValidationError as e:
            raise CommandError("；".join(e.messages)) from None
        year = done.school_year
        if year.is_calendar_year:
            calendar = f"年度：{year}：{year.start:%Y-%m-%d} 至 {year.end:%Y-%m-%d}\n"
            check = "在“工作日历”中核对节假日与调休"
        else:
            terms = "，".join(
                f"{t.get_number_display()} {t.start:%Y-%m-%d} 至 {t.end:%Y-%m-%d}"
                for t in year.terms.order_by("number")
            )
            calendar = f"学年：{year}：{terms}\n"
            check = "在“校历”中核对学期日期"
        self.stdout.write(
            f"已创建单位：{done.org.name}（{done.org.code}，{done.org.get_kind_display()}）\n"
            f"管理员账号：{done.admin.username}（科室管理员）\n"
            f"{calendar}"
            f"下一步：用管理员账号登录，在“人员”中导入名册，{check}。"
        )

    def _ask(self, key: str) -> str:
        if not sys.stdin.isatty():
            option = "--type" if key == "kind" else f"--{key}"
            raise CommandError(f"缺少 {option}（{ASKED[key]}）。")
        return input(f"{ASKED[key]}：").strip()

    def _password(self) -> str:
        password = os.environ.get("KESHI_SETUP_PASSWORD")
        if password:
            return password
        if not sys.stdin.isatty():
            raise CommandError("请用环境变量 KESHI_SETUP_PASSWORD 提供管理员密码。")
        password = getpass.getpass("管理员密码：")
        if getpass.getpass("再次输入密码：") != password:
            raise CommandError("两次输入的密码不一致。")
        return password
