from django.core.management.base import BaseCommand, CommandError

from keshi.appraisal.services import apply_rules
from keshi.calendar.models import Term
from keshi.org.models import Org


class Command(BaseCommand):
    help = "考核加分：apply 按规则自动加分（可重复运行，不会重复加分）"

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["apply"])
        parser.add_argument("--org", required=True, help="单位代码")
        parser.add_argument("--term", type=int, help="学期 ID（默认：最近结束的学期）")

    def handle(self, *args, action: str, org: str, term: int | None = None, **options) -> None:
        try:
            unit = Org.objects.get(code=org)
        except Org.DoesNotExist:
            raise CommandError(f"没有代码为 {org} 的单位") from None
        chosen = None
        if term is not None:
            chosen = Term.objects.filter(pk=term, school_year__org=unit).first()
            if chosen is None:
                raise CommandError(f"单位 {org} 没有 ID 为 {term} 的学期")
        result = apply_rules(org=unit, term=chosen)
        for note in result.skipped:
            self.stdout.write(note)
        self.stdout.write(f"新增 {result.created} 条，已存在 {result.existing} 条")
