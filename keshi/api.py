"""The JSON API root (django-ninja). Each app contributes a router from its own ``api.py``."""

from ninja import NinjaAPI

from keshi.accounts.auth import api_auth

api = NinjaAPI(
    title="keshi API",
    version="1",
    description="科室工作计划系统接口。认证：`Authorization: Bearer <token>`（`keshi create-token USERNAME`）。",
    urls_namespace="api",
    auth=api_auth,
)
