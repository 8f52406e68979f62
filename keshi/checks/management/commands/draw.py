"""keshi draw verify ID — recompute a draw from its published data; exit 0 if it matches."""

import sys

from django.core.management.base import BaseCommand, CommandError

from keshi.checks.models import Draw
from keshi.checks.selectors import verify_draw


class Command(BaseCommand):
    help = (
        "抽签：verify ID 按公开的种子和抽签范围重新计算，核对承诺值与结果（一致退出码 0，否则 1）。"
    )

    def add_arguments(self, parser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        verify = sub.add_parser("verify", help="核对一次抽签")
        verify.add_argument("id", type=int, help="抽签编号")

    def handle(self, *args, **options) -> None:
        draw = Draw.objects.filter(pk=options["id"]).select_related("org").first()
        if draw is None:
            raise CommandError(f"没有编号为 {options['id']} 的抽签", returncode=1)
        self.stdout.write(f"抽签 #{draw.pk}：{draw.title}（{draw.org.name}）")
        self.stdout.write(f"抽签范围（{len(draw.population)} 项）：{'、'.join(draw.population)}")
        self.stdout.write(f"抽取数量：{draw.k}")
        self.stdout.write(f"承诺值：{draw.commitment}")
        if not draw.revealed:
            self.stdout.write(self.style.WARNING("尚未抽签，种子未公开，无法核对"))
            sys.exit(1)
        result = verify_draw(draw)
        self.stdout.write(f"种子：{draw.seed}")
        self.stdout.write(f"记录的结果：{'、'.join(draw.result)}")
        recomputed = (
            "、".join(result.recomputed) if result.recomputed is not None else "（无法计算）"
        )
        self.stdout.write(f"重新计算：{recomputed}")
        self.stdout.write(f"承诺值与种子{'一致' if result.commitment_ok else '不一致'}")
        self.stdout.write(f"结果{'一致' if result.result_ok else '不一致'}")
        if result.ok:
            self.stdout.write(self.style.SUCCESS("验证通过"))
            return
        self.stderr.write("验证失败")
        sys.exit(1)
