from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext as _

from keshi.calendar.selectors import home_org
from keshi.checks.selectors import my_rectifications
from keshi.indicators.selectors import readable_indicators
from keshi.org.models import Org
from keshi.org.scoping import manageable, scope_for
from keshi.records.models import ObservationAssignment
from keshi.web import menu_cache


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str = ""
    children: list["NavItem"] = field(default_factory=list)


def _item(label: str, target: str | list[tuple[str, str]]) -> NavItem:
    if isinstance(target, str):
        return NavItem(label, target)
    return NavItem(label, children=[NavItem(sub, url) for sub, url in target])


def nav_items(user) -> list[NavItem]:
    """The main navigation by role: links, and menus of links."""
    scope = scope_for(user)
    if scope.is_anonymous:
        return []
    reader = scope.is_admin or bool(scope.read_paths)
    manager = scope.manages
    items: list = [(_("首页"), reverse("home"))]
    if scope.person_id:
        items.append((_("我的任务"), reverse("rules:my_tasks")))
    items.append((_("工作记录"), reverse("records:list")))
    if reader or scope.lead_group_ids:
        items.append((_("达标情况"), reverse("rules:compliance")))
    plans = [
        (_("工作计划"), reverse("plans:index")),
        (_("行事历"), reverse("itinerary:index")),
        (_("每周工作安排"), reverse("weekly:index")),
    ]
    if reader or scope.lead_group_ids:
        plans.append((_("量化要求"), reverse("requirements:list")))
    if reader:
        plans.append((_("计划与总结文档"), reverse("plan_documents:index")))
    items.append((_("计划"), plans))
    work = [
        (_("教研活动与公开课"), reverse("groupwork:index")),
        (_("检查、抽签与简报"), reverse("checks:index")),
        *(
            [(_("我的整改"), reverse("checks:my_rectifications"))]
            if _has_rectifications(user)
            else []
        ),
        (_("课题"), reverse("research:index")),
        (_("评比"), reverse("contests:index")),
        (_("考核加分"), reverse("appraisal:index")),
        (_("外出培训"), reverse("dispatch:index")),
    ]
    school = not _in_hospital(user)
    if school:  # a hospital keeps no timetables
        work.append((_("课表与调代课"), reverse("cover:index")))
        work.append((_("考试与质量分析"), reverse("exams:index")))
    else:  # a hospital's own: 新技术新项目 (the 课题 lifecycle engine), 不良事件 (confidential)
        work.append((_("新技术新项目"), reverse("research:index") + "?kind=new_tech"))
        work.append((_("不良事件上报"), reverse("safety:index")))
    if reader or scope.lead_group_ids:
        work.append((_("查重"), reverse("originality:index")))
    if scope.person_id and school:  # 听课 is a school's
        work.append((_("我收到的听课反馈"), reverse("records:feedback")))
    if scope.person_id and school and _observes(scope.person_id):
        work.append((_("我的听课任务"), reverse("records:assignments")))
    if (reader or scope.lead_group_ids) and school:
        work.append((_("听课反馈统计"), reverse("records:feedback_coverage")))
    items.append((_("教研与检查"), work))
    if _indicators(user):
        items.append((_("科室指标"), reverse("indicators:index")))
    if reader or scope.lead_group_ids:
        people = [
            (_("人员"), reverse("org:people")),
            (_("组织"), reverse("org:groups")),
            (_("师徒结对"), reverse("org:mentorships")),
        ]
        if reader:
            people.append((_("单位"), reverse("org:tree")))
        if manager:
            people.append((_("名册导入"), reverse("roster:import")))
            people.append((_("登录账号"), reverse("logins:list")))
            people.append((_("角色授权"), reverse("roles:list")))
        items.append((_("人员"), people))
    if manager:
        calendar = [
            (_("校历"), reverse("calendar:term")),
            (_("学年与学期的更替"), reverse("calendar:next")),
        ]
        items.append((_("校历"), calendar))
    else:
        items.append((_("校历"), reverse("calendar:term")))
    if scope.person_id:
        items.append((_("我的档案"), reverse("org:person", args=[scope.person_id])))
    return [_item(label, target) for label, target in items]


def _has_rectifications(user) -> bool:
    """我的整改 is in the menu of those who have been given a 整改 (open or closed)."""
    return my_rectifications(user).exists()


def _observes(person_id: int) -> bool:
    """我的听课任务 is in the menu once the person has been given a task (the task's
    notification links to it before that)."""
    return ObservationAssignment.objects.filter(observer_id=person_id).exists()


def _in_hospital(user) -> bool:
    org = home_org(user)
    return org is not None and org.kind == Org.Kind.HOSPITAL


def _indicators(user) -> bool:
    """科室指标 are a hospital's: shown to those who may read one, or set them up."""
    hospitals = Org.objects.filter(kind=Org.Kind.HOSPITAL)
    return readable_indicators(user).exists() or manageable(user, hospitals).exists()


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": menu_cache.cached(user, nav_items), "scope": scope_for(user)}
