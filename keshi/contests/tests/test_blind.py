"""Issue 6, "done when": a judge cannot see an author's identity through any page, export or API.

Every judge crawls, during 提交 and 评审: every contests URL pattern filled with every id in play
(contest, entry, assignment), every API GET operation of the contests router, and every link
found in what came back (pages, API JSON, downloads). Nothing the judge can fetch may contain an
author's name, 工号, group name, group members' names, the entry titles or the original file
names — in HTML, JSON, or any part of a downloaded .docx (text, headers, core properties).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import deque

import pytest
from django.urls import get_resolver, reverse
from docx import Document

from keshi.accounts.models import ApiToken
from keshi.api import api
from keshi.contests import services
from keshi.contests.models import Assignment, Contest, Entry
from keshi.contests.tests.factories import contest, judges, person
from keshi.org.models import Person


def _docx(names: list[str], staff_no: str, group: str = "") -> bytes:
    doc = Document()
    props = doc.core_properties
    props.author = props.last_modified_by = names[0]
    props.title = f"{names[0]}的论文"
    props.comments = f"工号 {staff_no}"
    doc.sections[0].header.paragraphs[0].text = f"{group or names[0]} 示范中学"
    doc.add_paragraph(f"作者：{'、'.join(names)}（工号 {staff_no}）")
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "作者"
    table.cell(0, 1).text = names[-1]
    doc.add_paragraph("正文：作文教学的三点体会。")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


@pytest.fixture
def setting(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    zhang, li, wang = (person(u) for u in (cast.teacher, cast.other_teacher, cast.lead))
    for p, no in ((zhang, "T20110001"), (li, "T20150002"), (wang, "T20090003")):
        p.staff_no = no
        p.save()
    c = contest(cast, title="论文评比", kind=Contest.Kind.GROUP)
    entries = [
        services.submit_entry(
            contest=c,
            person=zhang,
            title="张的作文教学研究",
            upload_name="张老师-作文教学.docx",
            data=_docx([zhang.name], zhang.staff_no),
        ),
        services.submit_entry(
            contest=c,
            person=li,
            title="李的阅读教学反思",
            upload_name="李老师-阅读.docx",
            data=_docx([li.name], li.staff_no),
        ),
        services.submit_entry(
            contest=c,
            group=cast.group,
            title="语文组建设材料",
            upload_name="语文组-材料.docx",
            data=_docx([wang.name, zhang.name, li.name], wang.staff_no, group=cast.group.name),
        ),
    ]
    js = judges(cast, 3) + [cast.lead]  # the 组长 judges others' entries, never his group's
    services.advance(contest=c, by=cast.office)
    services.auto_assign(contest=c, judges=[person(u) for u in js], per_entry=3, by=cast.office)
    group_judges = {a.judge.user for a in Assignment.objects.filter(entry=entries[2])}
    assert cast.lead not in group_judges
    secrets = {zhang.name, li.name, wang.name, cast.group.name}
    secrets |= {zhang.staff_no, li.staff_no, wang.staff_no}
    secrets |= {e.title for e in entries} | {e.document_name for e in entries}
    secrets |= {e.document_name.rsplit(".", 1)[0] for e in entries}
    return c, entries, js, secrets


def _texts(response) -> list[str]:
    """Everything a response carries, including every XML part of a .docx/.xlsx/.zip."""
    body = b"".join(response.streaming_content) if response.streaming else response.content
    out = [body.decode("utf-8", "replace"), str(response.headers)]
    if body[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(body)) as z:
            out += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
    return out


def _pattern_urls(ids: list[int]) -> list[str]:
    """Every contests URL, those with a ``pk`` once per id in play."""
    namespace = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "contests"
    )
    urls = []
    for p in namespace.url_patterns:
        if "pk" in p.pattern.converters:
            urls += [reverse(f"contests:{p.name}", args=[i]) for i in ids]
        else:
            urls.append(reverse(f"contests:{p.name}"))
    return urls


def _api_urls(ids: list[int]) -> list[str]:
    schema = api.get_openapi_schema()
    urls = []
    for path, ops in schema["paths"].items():
        if "get" not in ops or not re.search(r"/(contests|judging)", path):
            continue
        params = re.findall(r"{(\w+)}", path)
        if not params:
            urls.append(path)
        for i in ids if params else ():
            urls.append(re.sub(r"{\w+}", str(i), path))
    return urls


LINK = re.compile(r'(?:href|src|hx-get|action)="(/[^"#]*)"|"(/(?:contests|media|api)/[^"]*)"')


def crawl(client, headers: dict, start: list[str]) -> dict[str, list[str]]:
    seen: dict[str, list[str]] = {}
    queue = deque(start)
    while queue and len(seen) < 400:
        url = queue.popleft()
        if url in seen or url.startswith(("/static/", "/i18n/", "/accounts/logout")):
            continue
        response = client.get(url, headers=headers if url.startswith("/api/") else {})
        seen[url] = _texts(response) if response.status_code == 200 else []
        if response.status_code != 200:
            continue
        for text in seen[url][:1]:
            for a, b in LINK.findall(text):
                link = (a or b).replace("&amp;", "&")
                if link.startswith(
                    ("/contests/", "/api/v1/contests", "/api/v1/judging", "/media/")
                ):
                    queue.append(link)
    return seen


@pytest.mark.parametrize("phase", ["submit", "review"])
def test_no_judge_learns_who_wrote_an_entry(client, cast, setting, phase):
    c, entries, js, secrets = setting
    if phase == "review":
        services.advance(contest=c, by=cast.office)
    ids = sorted(
        {c.pk} | {e.pk for e in entries} | set(Assignment.objects.values_list("pk", flat=True))
    )
    reached_copies = 0
    for user in js:
        client.force_login(user)
        headers = {"Authorization": f"Bearer {ApiToken.issue(user)[1]}"}
        own = {Person.objects.get(user=user).name}
        seen = crawl(client, headers, _pattern_urls(ids) + _api_urls(ids))
        for url, texts in seen.items():
            for secret in secrets - own:
                assert not any(secret in t for t in texts), (user.username, url, secret)
        # the walk is not vacuous: the judge reached the list, every own task and its copy
        mine = Assignment.objects.filter(judge__user=user)
        assert seen[reverse("contests:judge", args=[c.pk])]
        for a in mine:
            assert seen[reverse("contests:score", args=[a.pk])]
            copy = seen[reverse("contests:judge_document", args=[a.pk])]
            assert copy and "正文：作文教学的三点体会" in "".join(copy)
            reached_copies += 1
        assert seen["/api/v1/judging"] and a.entry.code in seen["/api/v1/judging"][0]
    assert reached_copies == Assignment.objects.count() == 9
    # and the office, for contrast, does see the authors
    client.force_login(cast.office)
    page = client.get(reverse("contests:detail", args=[c.pk])).content.decode()
    assert "张老师" in page and "语文组" in page
    assert Entry.objects.count() == 3
