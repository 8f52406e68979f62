"""keshi restore PATH [--yes]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from keshi.ops.backup import BackupError, check_restorable, read_manifest, restore_backup


class Command(BaseCommand):
    help = "从 keshi backup 生成的文件恢复数据库与附件（覆盖现有数据）。见 docs/operations.md。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", help="备份文件 .tar.gz")
        parser.add_argument("--yes", action="store_true", help="不询问，直接覆盖")

    def handle(self, *args, **options) -> None:
        path = Path(options["path"])
        try:
            manifest = read_manifest(path)
            check_restorable(manifest)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest.row_counts.values())
        self.stdout.write(
            f"备份时间 {manifest.created_at}，{manifest.vendor}，{len(manifest.row_counts)} 张表 "
            f"{rows} 行，附件 {manifest.media_files} 个"
        )
        if not options["yes"] and not self._confirmed():
            raise CommandError("未确认，没有做任何改动")
        try:
            restore_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                "恢复完成，各表行数与备份一致。若备份来自旧版本，请运行 keshi migrate。"
            )
        )

    def _confirmed(self) -> bool:
        target = connection.settings_dict["NAME"]
        prompt = f"将用备份覆盖数据库 {target} 与全部附件，现有数据会丢失。输入 yes 继续："
        try:
            return input(prompt).strip().lower() in {"yes", "y", "是"}
        except EOFError:
            return False
