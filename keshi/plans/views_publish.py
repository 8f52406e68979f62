"""The publish page (发布前核对): GET shows what publishing a draft plan would do — per rule, the
clause, the live rules it duplicates or overlaps with a choice per pair, and the impact by
教研组 —; POST publishes with the office's choices. Office staff of the plan's org only (403);
another org's plan is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from keshi.plans import selectors, services
from keshi.plans.models import Plan
from keshi.plans.selectors_publish import CHOICE_HELP, CHOICES, publish_review
from keshi.plans.services_publish import publish_plan


@login_required
@require_http_methods(["GET", "POST"])
def publish(request, pk: int):
    plan = get_object_or_404(selectors.readable_plans(request.user), pk=pk)
    services.check_manager(request.user, plan.org)
    if plan.status != Plan.Status.DRAFT:
        messages.info(
            request, _("计划当前为“%(s)s”，无需发布。") % {"s": plan.get_status_display()}
        )
        return redirect("plans:detail", pk=plan.pk)
    review = publish_review(plan)
    for pair in review.pairs:
        pair.chosen = request.POST.get(pair.key, pair.default)
    if request.method == "POST":
        unseen = [p for p in review.pairs if p.key not in request.POST]
        if unseen:
            messages.warning(
                request, _("核对之后规则有了变化（新的重复或重叠），请重新核对后再确认发布。")
            )
        else:
            try:
                result = publish_plan(
                    plan=plan, user=request.user, choices={p.key: p.chosen for p in review.pairs}
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _summary(result))
                return redirect("plans:detail", pk=plan.pk)
    return render(
        request,
        "plans/plan_publish.html",
        {
            "plan": plan,
            "review": review,
            "choices": [(value, label, CHOICE_HELP[value]) for value, label in CHOICES.items()],
        },
    )


def _summary(result) -> str:
    text = _("计划已发布，%(n)s 条量化要求开始考核。") % {"n": len(result.published)}
    if result.replaced:
        text += _("停用了被替换的现有规则：%(r)s。") % {
            "r": "、".join(r.name for r in result.replaced)
        }
    if result.merged:
        text += _("合并（未发布）：%(r)s。") % {"r": "、".join(r.name for r in result.merged)}
    return text
