"""The one scoping helper: what a user may see and change.

Every page, export and API endpoint narrows its querysets with :func:`visible` (read) or
:func:`manageable` (write). A model takes part by being registered with :func:`scoped`, naming
the path to its ``Org`` and, for private rows, the path(s) to the ``Person`` who owns them.

Who sees what:

* system admin (``is_superuser``): everything;
* district staff (``RoleGrant.DISTRICT``): read everything in their org's subtree;
* office staff (``RoleGrant.OFFICE``): read and manage everything in their org's subtree;
* leader (``RoleGrant.LEADER``): read everything in their org's subtree;
* group lead (组长/副组长 membership): read the private rows of the members of the groups they
  lead (and of those groups' sub-groups);
* teacher (a ``Person`` linked to the user): their own private rows.

Rows registered ``public_in_org`` (groups, terms…) are readable by every person of that org.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.db.models import Q

_REGISTRY: dict[type[models.Model], ScopeSpec] = {}


@dataclass(frozen=True)
class ScopeSpec:
    org: str
    person: tuple[str, ...] = ()
    public_in_org: bool = False


def scoped(*, org: str, person: str | tuple[str, ...] = (), public_in_org: bool = False):
    """Class decorator registering a model with the scoping helper.

    ``org`` is the lookup path to the owning ``Org`` (``"org"``, ``"group__org"``, ``""`` for
    ``Org`` itself); ``person``
    the path(s) to the owning ``Person`` (``"pk"`` for ``Person`` itself).
    """
    persons = (person,) if isinstance(person, str) else tuple(person)

    def register(model: type[models.Model]) -> type[models.Model]:
        _REGISTRY[model] = ScopeSpec(org=org, person=persons, public_in_org=public_in_org)
        return model

    return register


@dataclass(frozen=True)
class Scope:
    is_admin: bool = False
    read_paths: tuple[str, ...] = ()
    manage_paths: tuple[str, ...] = ()
    lead_group_ids: frozenset[int] = field(default_factory=frozenset)
    member_group_ids: frozenset[int] = field(default_factory=frozenset)  # current memberships
    person_id: int | None = None
    person_org_id: int | None = None
    roles: frozenset[str] = field(default_factory=frozenset)

    @property
    def manages(self) -> bool:
        """Office staff of some org (or the system admin): who sees the management pages."""
        return self.is_admin or bool(self.manage_paths)

    @property
    def is_anonymous(self) -> bool:
        return not (self.is_admin or self.read_paths or self.person_id)


def scope_for(user) -> Scope:
    """The user's scope, computed once per request (cached on the user object)."""
    if user is None or not user.is_authenticated:
        return Scope()
    cached = getattr(user, "_keshi_scope", None)
    if cached is not None:
        return cached
    from keshi.accounts.models import RoleGrant
    from keshi.org.models import Group, Membership, Person

    read, manage, roles = [], [], set()
    for role, path in RoleGrant.objects.filter(user=user).values_list("role", "org__path"):
        roles.add(role)
        read.append(path)
        if role == RoleGrant.Role.OFFICE:
            manage.append(path)
    person = Person.objects.filter(user=user, active=True).values("pk", "org_id").first()
    lead_ids: set[int] = set()
    member_ids: set[int] = set()
    if person:
        roles.add("teacher")
        memberships = list(
            Membership.objects.current()
            .filter(person_id=person["pk"])
            .values_list("group_id", "role")
        )
        member_ids = {group for group, _role in memberships}
        frontier = {group for group, role in memberships if role in Membership.LEAD_ROLES}
        while frontier:  # group trees are shallow: 教研组 → 备课组
            lead_ids |= frontier
            frontier = (
                set(Group.objects.filter(parent_id__in=frontier).values_list("pk", flat=True))
                - lead_ids
            )
        if lead_ids:
            roles.add("lead")
    if user.is_superuser:
        roles.add("admin")
    scope = Scope(
        is_admin=user.is_superuser,
        read_paths=tuple(read),
        manage_paths=tuple(manage),
        lead_group_ids=frozenset(lead_ids),
        member_group_ids=frozenset(member_ids),
        person_id=person["pk"] if person else None,
        person_org_id=person["org_id"] if person else None,
        roles=frozenset(roles),
    )
    user._keshi_scope = scope
    return scope


def _spec(model: type[models.Model]) -> ScopeSpec:
    try:
        return _REGISTRY[model]
    except KeyError:
        raise LookupError(f"{model.__name__} is not registered with keshi.org.scoping") from None


def _org_lookup(org_path: str, suffix: str) -> str:
    """``org_path`` is empty for ``Org`` itself."""
    return f"{org_path}__{suffix}" if org_path else suffix


def _paths_q(org_path: str, paths: tuple[str, ...]) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{_org_lookup(org_path, "path__startswith"): p})
    return q


def visible(user, queryset: models.QuerySet) -> models.QuerySet:
    """The rows of ``queryset`` that ``user`` may read."""
    scope = scope_for(user)
    if scope.is_admin:
        return queryset
    spec = _spec(queryset.model)
    q = _paths_q(spec.org, scope.read_paths)
    if scope.person_id is not None:
        if spec.public_in_org:
            q |= Q(**{_org_lookup(spec.org, "pk"): scope.person_org_id})
        for person_path in spec.person:
            q |= Q(**{person_path: scope.person_id})
            if scope.lead_group_ids:
                from keshi.org.models import Membership

                members = Membership.objects.current().filter(group_id__in=scope.lead_group_ids)
                q |= Q(**{f"{person_path}__in": members.values("person_id")})
    return queryset.filter(q)


def manageable(user, queryset: models.QuerySet) -> models.QuerySet:
    """The rows of ``queryset`` that ``user`` may change as office staff."""
    scope = scope_for(user)
    if scope.is_admin:
        return queryset
    spec = _spec(queryset.model)
    return queryset.filter(_paths_q(spec.org, scope.manage_paths))


def can_manage_org(user, org) -> bool:
    scope = scope_for(user)
    return scope.is_admin or any(org.path.startswith(p) for p in scope.manage_paths)


def can_read_org(user, org) -> bool:
    scope = scope_for(user)
    return scope.is_admin or any(org.path.startswith(p) for p in scope.read_paths)
