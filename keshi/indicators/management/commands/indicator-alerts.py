import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from keshi.indicators import alerts
from keshi.org.models import Org


class Command(BaseCommand):
    help = (
        "指标预警：连续两期未达标的指标，通知科室负责人和单位管理员，并推送到提醒渠道。"
        "每个指标每期只预警一次，可重复运行。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", help="只处理这个单位（含下级单位）的代码")
        parser.add_argument("--at", help="按这一天判断（YYYY-MM-DD），默认今天")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, org=None, at=None, format="text", **options) -> None:
        try:
            day = date.fromisoformat(at) if at else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"日期格式应为 YYYY-MM-DD：{at}") from exc
        scope = None
        if org:
            scope = Org.objects.filter(code=org).first()
            if scope is None:
                raise CommandError(f"没有单位代码为 {org} 的单位")
        run = alerts.send_alerts(at=day, org=scope)
        if format == "json":
            self.stdout.write(json.dumps(run.as_dict(), ensure_ascii=False))
        else:
            for line in run.as_dict()["raised"]:
                self.stdout.write(f"预警：{line}")
            self.stdout.write(
                f"新预警 {len(run.raised)} 条，站内通知 {run.notified} 条，"
                f"渠道推送 {run.posted} 次，失败 {len(run.failed)} 次"
            )
            for line in run.failed:
                self.stderr.write(f"  推送失败：{line}")
        if run.failed:
            raise CommandError("部分渠道推送失败，下次运行会重试。")
