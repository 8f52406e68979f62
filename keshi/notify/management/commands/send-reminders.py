from datetime import date

from django.core.management.base import BaseCommand, CommandError

from keshi.notify import daily, tasks
from keshi.org.models import Org


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{value}") from exc


class Command(BaseCommand):
    help = "发送每日提醒（站内通知、邮件、钉钉/企业微信群机器人）。同一天重复运行不会重复发送。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", help="只处理这个单位代码")
        parser.add_argument("--at", help="按这一天计算（YYYY-MM-DD），默认今天")
        parser.add_argument("--dry-run", action="store_true", help="只打印将发送的内容，不发送")
        parser.add_argument(
            "--enqueue", action="store_true", help="交给后台任务（keshi db_worker）执行"
        )

    def handle(self, *args, org=None, at=None, dry_run=False, enqueue=False, **options) -> None:
        self.verbosity = options.get("verbosity", 1)
        day = _date(at) if at else None
        if org and not Org.objects.filter(code=org).exists():
            raise CommandError(f"没有单位代码为 {org} 的单位")
        if enqueue:
            if dry_run:
                raise CommandError("--enqueue 不能与 --dry-run 同用")
            result = tasks.send_daily_reminders.enqueue(
                at=day.isoformat() if day else None, org=org
            )
            self.stdout.write(f"已加入后台任务队列：{result.id}")
            return
        reports = daily.send_daily_reminders(at=day, org_code=org, dry_run=dry_run)
        if not reports:
            self.stdout.write("没有正在进行中的学期，未发送提醒。")
        for report in reports:
            self._print(report, dry_run)
        if any(r.error for r in reports):
            raise CommandError("部分单位的提醒未能完成，见上方错误。")

    def _print(self, report, dry_run: bool) -> None:
        self.stdout.write(f"[{report.org}] {report.term}")
        if report.error:
            self.stderr.write(f"  错误：{report.error}")
        if dry_run:
            for to, message in report.messages:
                self.stdout.write(f"  → {to}：{message.title}")
                if self.verbosity > 1:
                    self.stdout.write("    " + message.text.replace("\n", "\n    "))
            self.stdout.write(f"  共 {len(report.messages)} 条（试运行，未发送）")
            return
        sent = "，".join(f"{k} {v}" for k, v in sorted(report.sent.items())) or "0"
        failed = "，".join(f"{k} {v}" for k, v in sorted(report.failed.items())) or "0"
        self.stdout.write(f"  已发送：{sent}；失败：{failed}；今日已发过：{report.skipped}")
