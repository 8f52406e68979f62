"""``keshi summary-docx --org CODE [--term ID] [--at DATE] [--plan ID] [--as USERNAME] -o FILE``

The term's 工作总结 as a Word document. The plan is ``--plan``, else the org's latest plan of the
term (or of its school year), else none (the org's requirements and records only). Before the
term's end the summary is a draft. A server operator's tool: the whole org, unless ``--as`` names
a user whose scope (keshi.org.scoping) then applies.
"""

import time
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term
from keshi.org.models import Org
from keshi.org.scoping import can_read_org
from keshi.plans.summary import ConsoleUser, document_plans, gather
from keshi.plans.word import summary_docx


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "根据计划、行事历、量化要求和业务记录生成学期工作总结（.docx）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", required=True, help="单位代码")
        parser.add_argument("--term", type=int, help="学期编号（默认：--at 所在学期）")
        parser.add_argument("--at", help="数据截至 YYYY-MM-DD（默认：今天）")
        parser.add_argument("--plan", type=int, help="计划编号（默认：该学期最新的计划）")
        parser.add_argument("--as", dest="as_user", help="按该账号的可见范围生成")
        parser.add_argument("-o", "--output", required=True, help="输出文件（.docx）")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        output = Path(options["output"])
        if output.suffix.lower() != ".docx":
            raise CommandError("输出文件须以 .docx 结尾")
        org = Org.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(f"单位代码“{options['org']}”不存在")
        user = _user(options.get("as_user"))
        if not can_read_org(user, org):
            raise CommandError(f"账号“{options['as_user']}”无权查看{org.name}的工作总结")
        at = _date(options.get("at"))
        term = _term(org, options.get("term"), at)
        plans = document_plans(user).filter(org=org)
        if options.get("plan"):
            plan = plans.filter(pk=options["plan"]).first()
            if plan is None:
                raise CommandError(f"{org.name}没有计划 {options['plan']}")
        else:
            newest = ("-created_at", "-pk")
            plan = (
                plans.filter(term=term).order_by(*newest).first()
                or plans.filter(school_year=term.school_year_id).order_by(*newest).first()
            )
        data = gather(user, org=org, term=term, at=at, plan=plan)
        output.write_bytes(summary_docx(data))
        seconds = time.perf_counter() - started
        kind = "工作总结" if data.final else "工作总结（草稿）"
        source = f"计划《{plan.title}》" if plan else "无关联计划"
        self.stdout.write(
            f"已生成{kind}：{output}（{term}，{source}，{data.people}人，"
            f"{len(data.requirements)}项量化要求，用时{seconds:.1f}秒）"
        )


def _user(username: str | None):
    if not username:
        return ConsoleUser()
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"账号“{username}”不存在")
    return user


def _date(text: str | None) -> date:
    if not text:
        return timezone.localdate()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"日期“{text}”格式不对，应为 YYYY-MM-DD，如 2027-01-22") from None


def _term(org: Org, term_id: int | None, at: date) -> Term:
    if term_id:
        term = Term.objects.filter(pk=term_id, school_year__org=org).first()
        if term is None:
            names = "、".join(f"{t.pk}（{t}）" for t in Term.objects.filter(school_year__org=org))
            raise CommandError(f"{org.name}没有学期 {term_id}；可选：{names or '无'}")
        return term
    # The term holding ``at``, else the last one begun (a summary looks back), else the next.
    terms = Term.objects.filter(school_year__org=org).select_related("school_year")
    term = terms.filter(start__lte=at).order_by("-start").first() or current_term(org, at)
    if term is None:
        raise CommandError(f"{org.name}还没有学期；请先设置校历，或用 --term 指定")
    return term
