"""The audit trail covers every model that holds records (issue #9).

Every concrete model of every keshi app must have django-simple-history registered, except the
ones listed in ``NO_HISTORY`` with the reason. A new model fails this test until its author
either adds ``history = HistoricalRecords()`` (and a migration) or lists it here with a reason.
"""

import pytest
from django.apps import apps
from simple_history.models import registered_models

NO_HISTORY = {
    # Secrets and tokens: a history table would keep copies of every old token/hash.
    "accounts.ApiToken": "API 令牌只存哈希；历史表会保留旧令牌的副本",
    "plans.CalendarFeed": "日历订阅令牌",
    # Notifications and delivery logs are themselves the log of what was sent.
    "notify.Notification": "站内通知：本身就是发送记录",
    "notify.Digest": "每日提醒的发送日志（幂等键）",
    "indicators.Alert": "指标预警的发送日志",
    "integrations.SendLog": "工作通知的发送日志（每次调用平台一行）",
    "integrations.SyncRun": "通讯录同步记录：本身就是审计日志（人员与组的变更另有历史）",
    "accounts.LoginEvent": "账号操作记录：本身就是审计日志",
    "accounts.Preference": "本人的界面语言设置，不是业务记录",
    # Jobs: the status of a background export, not a record.
    "appraisal.ArchiveExport": "后台导出任务的进度与结果文件",
    # Archives: the copy stored when a term was closed; regenerated when it is closed again.
    "schoolcalendar.TermDocument": "关闭学期时存档的文档（本身就是存档）",
    # Originality: caches, fingerprints and LSH bands derived from the records (re-computable),
    # the corpus of reference texts and the derived flags; its settings are one row per org.
    "originality.OrgSettings": "查重阈值设置（一单位一行，后台可改）",
    "originality.CorpusText": "查重的范文语料（导入的参考文本）",
    "originality.Document": "指纹：由记录与附件计算，可重建",
    "originality.Band": "LSH 分桶：由指纹计算，可重建",
    "originality.Flag": "查重结果：由指纹计算，可重建",
    # Scores come in whole sheets: each import replaces them and is itself recorded in the
    # exam's history (who imported, when); students are the sheets' minimal rows.
    "exams.Score": "成绩：整表导入替换，导入记入考试的审计记录（导入人、时间）",
    "exams.Student": "学生：成绩表中的学号、姓名，随导入建立",
}


def _label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def keshi_models() -> list:
    """Concrete, non-auto-created models of keshi apps, without simple-history's own."""
    return [
        m
        for m in apps.get_models()
        if m.__module__.startswith("keshi.")
        and not m._meta.auto_created  # implicit many-to-many through tables
        and not m._meta.proxy
        and not m.__name__.startswith("Historical")
    ]


def test_every_model_that_holds_records_has_history() -> None:
    tracked = {_label(m) for m in registered_models.values()}
    missing = sorted(
        _label(m)
        for m in keshi_models()
        if _label(m) not in tracked and _label(m) not in NO_HISTORY
    )
    assert missing == [], (
        "这些模型没有审计记录（history = HistoricalRecords()），也不在 NO_HISTORY 中："
        + ", ".join(missing)
    )


def test_allowlist_names_real_models_without_history() -> None:
    """A stale entry (renamed model, or one that gained history) must be removed."""
    by_label = {_label(m): m for m in keshi_models()}
    tracked = {_label(m) for m in registered_models.values()}
    stale = sorted(name for name in NO_HISTORY if name not in by_label or name in tracked)
    assert stale == []


def test_the_check_sees_history_models_and_would_catch_a_missing_one() -> None:
    """Guard against a test that cannot fail: models with and without history are both found."""
    labels = {_label(m) for m in keshi_models()}
    assert {"records.Activity", "org.Person", "schoolcalendar.Term"} <= labels
    assert "notify.Notification" in labels  # a model without history is listed, so it is checked
    tracked = {_label(m) for m in registered_models.values()}
    assert "notify.Notification" not in tracked


@pytest.mark.django_db
def test_a_change_to_a_newly_tracked_model_is_recorded(cast) -> None:
    from keshi.calendar.models import SchoolYear

    year = SchoolYear.objects.create(
        org=cast.school, start_year=2031, start="2031-09-01", end="2032-08-31"
    )
    year.end = "2032-08-30"
    year.save()
    pk = year.pk
    year.delete()
    trail = SchoolYear.history.filter(id=pk).order_by("history_id")
    assert [h.history_type for h in trail] == ["+", "~", "-"]


@pytest.mark.django_db
def test_record_page_shows_attachment_uploads_and_deletions(cast, client, settings, tmp_path):
    from django.urls import reverse

    from keshi.records import services
    from keshi.records.tests.factories import PDF, ActivityFactory

    settings.MEDIA_ROOT = tmp_path
    activity = ActivityFactory(person=cast.teacher.person)
    kept = services.add_attachment(
        activity=activity, name="教案.pdf", data=PDF, content_type="application/pdf"
    )
    gone = services.add_attachment(
        activity=activity, name="<b>旧稿</b>.pdf", data=PDF, content_type="application/pdf"
    )
    services.delete_attachment(attachment=gone)
    client.force_login(cast.teacher)
    page = client.get(reverse("records:detail", args=[activity.pk])).content.decode()
    trail = page[page.index('id="attachment-history"') :]
    assert "上传附件" in trail and kept.name in trail
    assert "删除附件" in trail and "&lt;b&gt;旧稿&lt;/b&gt;.pdf" in trail
    assert "<b>旧稿</b>" not in page
