"""The 个人工作总结 draft download: for the teacher themself, their group lead and the org's readers
(who may read the person: keshi.appraisal.selectors.person_for); 404 for everyone else."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from keshi.appraisal.selectors import person_for
from keshi.calendar.models import Term
from keshi.calendar.selectors import terms_of_org
from keshi.documents.http import download
from keshi.org.scoping import scope_for
from keshi.plans.personal_summary import personal_summary
from keshi.plans.personal_word import personal_summary_docx
from keshi.web.params import parse_id, query_id


def _term(user, person, wanted: str | None) -> Term | None:
    """The asked term of the person's org, else the term holding today, else the last begun."""
    terms = terms_of_org(user, person.org)
    if wanted:
        pk = parse_id(wanted)
        return terms.filter(pk=pk).first() if pk else None
    today = timezone.localdate()
    return terms.filter(start__lte=today).first() or terms.last()


@login_required
def my_personal_summary(request):
    pid = scope_for(request.user).person_id
    if pid is None:
        raise Http404(_("您的账号没有对应的教师档案。"))
    url = redirect("plan_documents:personal_summary", pk=pid).url
    term = query_id(request, "term")
    return redirect(f"{url}?term={term}" if term else url)


@login_required
def personal_summary_download(request, pk: int):
    person = person_for(request.user, pk)
    if person is None:
        raise Http404(_("没有这位教师，或您无权查看。"))
    term = _term(request.user, person, request.GET.get("term"))
    if term is None:
        raise Http404(_("该单位还没有这个学期。"))
    data = personal_summary(request.user, person, term, timezone.localdate())
    name = data.title if data.final else f"{data.title}（草稿）"
    return download(personal_summary_docx(data), f"{person.name}{name}.docx")
