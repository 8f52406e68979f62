"""Control characters are dropped wherever text comes in (issue #19, item 2): the forms (every
CharField, by one hook), the API schemas, the imports; and the data migration cleans what is
already stored."""

from __future__ import annotations

import csv
import importlib
import io
from datetime import date
from types import SimpleNamespace

import pytest
from django import forms
from django.apps import apps
from django.db import connection
from django.urls import reverse

from keshi.accounts.models import ApiToken
from keshi.org import roster
from keshi.org.models import Person
from keshi.plans.extraction.reader import read_text
from keshi.records.imports import import_records
from keshi.records.models import Activity
from keshi.records.tests.factories import ActivityFactory, kind

pytestmark = pytest.mark.django_db
migration = importlib.import_module("keshi.web.migrations.0001_strip_control_chars")


def test_the_record_form_stores_clean_text(client, cast):
    client.force_login(cast.teacher)
    data = {
        "kind": "reflection",
        "date": "2026-03-02",
        "quantity": "1",
        "title": "标题\u0001",
        "text": "第一行\u0002\r\n第二行\u000b",
    }
    response = client.post(reverse("records:create"), data)
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.title, activity.text) == ("标题", "第一行\r\n第二行")


def test_every_char_field_is_cleaned_but_passwords(cast):
    class Plain(forms.Form):
        name = forms.CharField(max_length=3)
        note = forms.CharField(required=False, widget=forms.Textarea)
        link = forms.URLField(required=False, assume_scheme="https")
        password = forms.CharField(widget=forms.PasswordInput)

    form = Plain(
        {
            "name": "\u0001王老师\u0002 ",
            "note": "\t甲\r\n乙\u001f",
            "link": "https://example.org/\u0003a",
            "password": "pa\u0001ss",
        }
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "name": "王老师",  # cleaned before max_length and strip
        "note": "甲\r\n乙",
        "link": "https://example.org/a",
        "password": "pa\u0001ss",
    }
    assert "name" in Plain({"name": "\u0001\u0002", "password": "x"}).errors  # nothing left
    PersonForm = forms.modelform_factory(Person, fields=["name", "subject"])
    form = PersonForm({"name": "王\u0002老师", "subject": "语\u0000文"})
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["name"], form.cleaned_data["subject"]) == ("王老师", "语文")


def _api_post(client, user, url, data):
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
    return client.post(url, data, content_type="application/json", headers=headers)


def test_the_api_stores_clean_text(client, cast):
    data = {"org": "demo", "name": "王\u0002老师", "title": "\u0001 一级教师", "phone": "\u0000"}
    response = _api_post(client, cast.office, "/api/v1/people", data)
    assert response.status_code == 201, response.content
    person = Person.objects.get(pk=response.json()["id"])
    assert (person.name, person.title, person.phone) == ("王老师", "一级教师", "")
    response = _api_post(client, cast.office, "/api/v1/people", {"org": "demo", "name": "\u0002"})
    assert response.status_code == 422  # an empty name once the character is gone


def _csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode()


def test_the_imports_drop_control_characters(cast):
    parsed = roster.read_roster(
        "r.csv",
        _csv([["姓名", "职称"], ["王\u0002老师", "一级\u0001教师"]]),
        today=date(2026, 9, 1),
    )
    assert [(r.name, r.values["title"]) for r in parsed.rows] == [("王老师", "一级教师")]
    rows = [
        ["姓名", "类型", "日期", "标题", "正文"],
        ["张老师", "教学反思", "2026-03-02", "标题\u0001", "正\u0002文"],
    ]
    report = import_records(
        org=cast.school, filename="r.csv", data=_csv(rows), today=date(2026, 3, 31)
    )
    assert report.errors == [] and report.written
    assert Activity.objects.values_list("title", "text").get() == ("标题", "正文")
    lines = read_text("一、指导思想\u000c二、工作目标\u0001\n三、主要工作").texts
    assert lines == ["一、指导思想", "二、工作目标", "三、主要工作"]


def test_the_migration_cleans_stored_rows_and_history(cast):
    person = cast.teacher.person
    person.name = "王\u0002老师"
    person.save()  # leaves a history row holding the character too
    ActivityFactory(person=person, kind=kind("reflection"), title="标题\u0001", text="甲\r\n乙\t丙")
    Person.objects.filter(pk=cast.lead.person.pk).update(subject="数\u001f学", title="\ufffe")
    run = SimpleNamespace(connection=connection)
    assert migration.strip_control_chars_from_rows(apps, run) >= 4
    assert Person.objects.get(pk=person.pk).name == "王老师"
    assert Person.history.filter(id=person.pk).latest("history_date").name == "王老师"
    assert Activity.objects.values_list("title", "text").get() == ("标题", "甲\r\n乙\t丙")
    lead = Person.objects.get(pk=cast.lead.person.pk)
    assert (lead.subject, lead.title) == ("数学", "")
    assert migration.strip_control_chars_from_rows(apps, run) == 0  # idempotent
