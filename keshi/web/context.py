from django.urls import reverse
from django.utils.translation import gettext as _

from keshi.org.scoping import scope_for


def nav_items(user) -> list[tuple[str, str]]:
    """(label, url) for the main navigation, by role. Apps add entries here as they land."""
    scope = scope_for(user)
    if scope.is_anonymous:
        return []
    items = [(_("首页"), reverse("home"))]
    if scope.person_id:
        items.append((_("我的任务"), reverse("rules:my_tasks")))
    items.append((_("工作记录"), reverse("records:list")))
    if scope.is_admin or scope.read_paths or scope.lead_group_ids:
        items.append((_("达标情况"), reverse("rules:compliance")))
    if scope.is_admin or scope.read_paths:
        items.append((_("量化要求"), reverse("requirements:list")))
    if scope.person_id:
        items.append((_("我的档案"), reverse("org:person", args=[scope.person_id])))
    if scope.is_admin or scope.read_paths or scope.lead_group_ids:
        items.append((_("人员"), reverse("org:people")))
        items.append((_("组织"), reverse("org:groups")))
    if scope.is_admin or scope.read_paths:
        items.append((_("单位"), reverse("org:tree")))
    items.append((_("校历"), reverse("calendar:term")))
    if scope.is_admin or scope.manage_paths:
        items.append((_("名册导入"), reverse("roster:import")))
    return items


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": nav_items(user), "scope": scope_for(user)}
