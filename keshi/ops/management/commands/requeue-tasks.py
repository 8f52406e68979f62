"""keshi requeue-tasks (--worker-id ID | --older-than MINUTES)"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from keshi.ops.tasks import requeue_interrupted


class Command(BaseCommand):
    help = (
        "把因任务进程被杀（kill -9、断电）而停在“运行中”的后台任务放回队列。"
        "在 db_worker 启动前用同一 --worker-id 运行。见 docs/operations.md。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--worker-id", help="只处理这个任务进程上次认领、尚未完成的任务")
        parser.add_argument(
            "--older-than", type=int, metavar="MINUTES", help="开始运行超过这么多分钟的任务"
        )

    def handle(self, *args, **options) -> None:
        if not options["worker_id"] and options["older_than"] is None:
            raise CommandError("请指定 --worker-id 或 --older-than")
        older = options["older_than"]
        ids = requeue_interrupted(
            worker_id=options["worker_id"],
            older_than=timedelta(minutes=older) if older is not None else None,
        )
        self.stdout.write(
            f"放回队列的任务：{len(ids)} 个" + (f"（{'、'.join(ids)}）" if ids else "")
        )
