"""``keshi demo-data``: load the demo district (idempotent) and print the demo logins."""

import unicodedata
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from keshi.demo import cover as cover_demo
from keshi.demo.activity import standings
from keshi.demo.services import PASSWORD, load_demo
from keshi.rules.status import LABELS, Status


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(rows: list[tuple[str, ...]]) -> str:
    """Rows as aligned columns; Chinese characters count two columns wide."""
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


class Command(BaseCommand):
    help = _(
        "创建演示数据：示范区教育局及两所学校、量化要求和本学期的工作记录"
        "（可重复运行，不会重复创建），并列出演示账号和各校完成情况。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("把演示数据恢复为初始值（含演示账号密码），不删除其他数据。"),
        )
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help=_("按这一天确定当前学年（默认今天）。"),
        )

    def handle(self, *args, reset: bool = False, today: str | None = None, **options) -> None:
        try:
            on = date.fromisoformat(today) if today else None
        except ValueError as exc:
            raise CommandError(_("日期格式应为 YYYY-MM-DD：%s") % today) from exc
        loaded = load_demo(today=on, reset=reset)
        cover_demo.build(loaded.today)
        created = sum(loaded.created.values())
        updated = sum(loaded.updated.values())
        if created:
            self.stdout.write(_("演示数据已创建（%d 条记录）。") % created)
        elif updated:
            self.stdout.write(_("演示数据已恢复（%d 条记录）。") % updated)
        else:
            self.stdout.write(_("演示数据已存在，无需改动。"))
        rows = [(_("账号"), _("密码"), _("角色"), _("能看到"))]
        rows += [(lg.username, PASSWORD, lg.role, lg.sees) for lg in loaded.logins]
        self.stdout.write(table(rows))
        self.write_standings(loaded.today)

    def write_standings(self, today: date) -> None:
        """Where the demo schools stand, by the compliance engine: every period begun."""
        shown = (Status.MET, Status.ON_TRACK, Status.BEHIND, Status.MISSED, Status.EXEMPT)
        for s in standings(today):
            counts = " · ".join(f"{LABELS[status]} {s.counts[status]}" for status in shown)
            self.stdout.write(
                _("%(org)s %(term)s（截至 %(at)s）：%(counts)s")
                % {"org": s.org.name, "term": s.term, "at": s.at.isoformat(), "counts": counts}
            )
