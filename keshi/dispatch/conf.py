"""Dispatch settings: Django settings (``DISPATCH_*``) over the defaults below."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings

from keshi.dispatch.rules import Policy

# The national target: 72 学时 a year of which at least 60 专业科目 (教师继续教育).
YEAR_HOURS = Decimal(getattr(settings, "DISPATCH_YEAR_HOURS", 72))
YEAR_PROFESSIONAL_HOURS = Decimal(getattr(settings, "DISPATCH_YEAR_PROFESSIONAL_HOURS", 60))


def policy() -> Policy:
    return Policy(
        report_days=getattr(settings, "DISPATCH_REPORT_DAYS", 7),
        reflection_chars=getattr(settings, "DISPATCH_REFLECTION_CHARS", 2000),
        open_class_days=getattr(settings, "DISPATCH_OPEN_CLASS_DAYS", 30),
        news_days=getattr(settings, "DISPATCH_NEWS_DAYS", 14),
        feedback_days=getattr(settings, "DISPATCH_FEEDBACK_DAYS", 7),
        long_hours=Decimal(getattr(settings, "DISPATCH_LONG_HOURS", 24)),
        experience_days=getattr(settings, "DISPATCH_EXPERIENCE_DAYS", 14),
    )
