"""keshi backup [--output PATH]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from keshi.ops.backup import BackupError, create_backup, default_output


class Command(BaseCommand):
    help = (
        "备份数据库与上传的附件到一个 .tar.gz 文件（服务运行中也可执行）。见 docs/operations.md。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", "-o", help="备份文件路径（默认 KESHI_DATA_DIR/backups/keshi-时间.tar.gz）"
        )

    def handle(self, *args, **options) -> None:
        output = Path(options["output"]) if options["output"] else default_output()
        try:
            manifest = create_backup(output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest.row_counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"已备份到 {output}：{len(manifest.row_counts)} 张表 {rows} 行，"
                f"附件 {manifest.media_files} 个"
            )
        )
