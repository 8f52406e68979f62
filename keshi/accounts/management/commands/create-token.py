"""``keshi create-token USERNAME [--name NAME] [--revoke PREFIX]``."""

from django.core.management.base import BaseCommand, CommandError

from keshi.accounts.services import UnknownUser, issue_token, revoke_tokens


class Command(BaseCommand):
    help = "为账号创建 API 令牌（只显示一次），或用 --revoke 吊销令牌。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("username", help="账号用户名")
        parser.add_argument("--name", default="", help="令牌名称（备注用途）")
        parser.add_argument(
            "--revoke", metavar="PREFIX", help="吊销该账号前缀为 PREFIX 的令牌（如 ks_AbCd）"
        )

    def handle(self, *args, username: str, name: str, revoke: str | None, **options) -> None:
        try:
            if revoke is not None:
                self._revoke(username, revoke)
                return
            token, raw = issue_token(username=username, name=name)
        except UnknownUser:
            raise CommandError(f"账号不存在：{username}") from None
        self.stdout.write(raw)
        self.stderr.write(
            f"已为 {username} 创建令牌（前缀 {token.prefix}）。令牌只显示这一次，请妥善保存；"
            f"使用方式：Authorization: Bearer <令牌>"
        )

    def _revoke(self, username: str, prefix: str) -> None:
        if not prefix.strip():
            raise CommandError("--revoke 需要令牌前缀。")
        count = revoke_tokens(username=username, prefix=prefix.strip())
        if count == 0:
            raise CommandError(f"{username} 没有前缀为 {prefix} 的有效令牌。")
        self.stdout.write(f"已吊销 {count} 个令牌。")
