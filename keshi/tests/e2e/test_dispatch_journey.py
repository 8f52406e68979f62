"""Issue #12 “Done when”, end to end in headless Chromium on the demo school: the office sends
two teachers (the ``teacher`` and ``lead`` logins) to a three-day 跨省 training, prints the
四联通知 (page and Word, the .docx opened and read), arranges 代课 for every lesson they miss
choosing colleagues shown as 空闲, reads the week on the 每周工作安排, the teachers register
their return and file their 心得 and 反馈单, the office confirms the rest, and the reimbursement
list moves both teachers from 暂缓报销 to 可报销.

The training lies in a *past* week of the current term (the office records it after the fact):
a 心得 must be a record dated on or after the training's start, and records cannot be dated
after today, so a future training could not be completed today without faking the clock. The
week is found in the database (the demo moves with today): the latest Monday–Wednesday of the
term, all three school days, with neither teacher away or sent elsewhere.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document

from keshi.calendar.holidays import DayCalendar
from keshi.calendar.models import Term
from keshi.calendar.selectors import current_term, teaching_week
from keshi.cover.models import Absence, Cover
from keshi.cover.selectors import annotate_busy, cover_clashes, lessons_to_cover
from keshi.dispatch import rules, states
from keshi.dispatch.models import Dispatch, DispatchTeacher, Obligation
from keshi.org.models import Org, Person
from keshi.records.models import Activity
from keshi.records.services import count_chars
from keshi.tests.e2e.journey import Journey

TITLE = "粤港澳大湾区初中语文整本书阅读教学高级研修班"
ORGANISER = "华南师范大学教师培训中心"
PLACE = "广东广州"
PARTS = ("第一联 培训教师本人", "第二联 教务处", "第三联 年级组", "第四联 教科室留存")
LOGINS = ("teacher", "lead")

SENTENCES = (
    "三天的研修围绕整本书阅读的课程化实施展开，专家从课标要求讲到课堂落地。",
    "华南师大的教授指出，整本书阅读不是把一本书拆成若干篇课文来教，而是引导学生经历完整的阅读过程。",
    "观摩课上，执教老师用一张阅读任务单贯穿《朝花夕拾》的导读、推进和分享三个阶段。",
    "学生在小组里围绕“鲁迅的童年与成年”绘制人物关系图，讨论时引用原文作为证据。",
    "我注意到教师很少直接给结论，而是用追问把学生的发现推向更深一层。",
    "这让我反思自己的课堂：我常常担心进度，急于把答案告诉学生，学生读书的时间被挤掉了。",
    "研修中介绍的“阅读档案袋”给了我很大启发，它记录学生的批注、摘抄、提问和阶段性写作。",
    "档案袋让过程性评价有了抓手，也让家长看得见孩子的阅读成长。",
    "第二天的工作坊要求我们分组设计一本名著的阅读计划，我们组选择了《西游记》。",
    "在设计中我们反复讨论如何兼顾情节的趣味和主题的深度，如何给不同层次的学生留出空间。",
    "专家点评时提醒我们，任务不宜过多过碎，一个核心问题比十个零散问题更能驱动阅读。",
    "第三天的讲座聚焦阅读与写作的结合，读后续写、人物小传和专题小论文都是可行的路径。",
    "回校以后，我打算先在所教班级试行每周一节整本书阅读课，固定时间，保证阅读量。",
    "同时建立班级读书角，由学生轮流推荐书目、组织分享，让阅读成为班级的日常。",
    "在评价上，我会把阅读档案袋纳入平时成绩，减少单纯的知识性默写和填空题。",
    "我还准备在教研组内做一次汇报课，把研修中学到的任务单设计与同事们分享。",
    "这次外出学习让我看到差距，也让我明确了下一阶段努力的方向。",
    "阅读教学的根本是让学生真正读起来，教师要做的是搭好台阶、守住时间、点燃兴趣。",
    "我会把这次研修的资料整理成册，供备课组集体备课时参考使用。",
    "感谢学校给予这次学习机会，我将把所学转化为课堂上的具体改变。",
)


def _reflection(who: str, start: int) -> str:
    """A 心得 of at least 2000 字 (each teacher's sentences in their own order)."""
    head = f"《{TITLE}》学习心得（{who}）"
    paragraphs, i = [head], start
    while count_chars("\n".join(paragraphs)) < 2100:
        block = [SENTENCES[(i + k) % len(SENTENCES)] for k in range(5)]
        paragraphs.append(f"{len(paragraphs)}．" + "".join(block))
        i += 3
    return "\n".join(paragraphs)


def _feedback_docx(folder: Path, name: str) -> Path:
    document = Document()
    document.add_heading("外出培训学习反馈单", level=1)
    document.add_paragraph(f"姓名：{name}")
    document.add_paragraph(f"培训名称：{TITLE}")
    document.add_paragraph("培训收获：整本书阅读的课程化实施、阅读档案袋与过程性评价。")
    document.add_paragraph("对学校工作的建议：每周固定一节整本书阅读课。")
    path = folder / f"学习反馈单-{name}.docx"
    document.save(path)
    return path


def _free_week(org: Org, people: list[Person]) -> tuple[Term, date, date]:
    """The latest Monday–Wednesday of the current term that is over by today, three school
    days, with none of ``people`` away or sent on a training (not cancelled) then."""
    today = timezone.localdate()
    term = current_term(org, today)
    assert term is not None and term.start <= today, "the demo school should be in a term"
    this_monday = today - timedelta(days=today.weekday())
    for back in range(0, 30):
        monday = this_monday - timedelta(weeks=back)
        wednesday = monday + timedelta(days=2)
        if monday < term.start:
            break
        if wednesday >= today:
            continue
        days = DayCalendar(monday, wednesday, org)
        if not all(days.is_workday(monday + timedelta(days=n)) for n in range(3)):
            continue
        away = Absence.objects.filter(
            person__in=people, start_date__lte=wednesday, end_date__gte=monday
        )
        sent = DispatchTeacher.objects.filter(
            person__in=people,
            dispatch__state__in=states.OCCUPYING,
            dispatch__start_date__lte=wednesday,
            dispatch__end_date__gte=monday,
        )
        if not away.exists() and not sent.exists():
            return term, monday, wednesday
    pytest.fail("no Monday–Wednesday of the current term before today is free for both teachers")


def _row(page, table: str, *texts: str):
    row = page.locator(f"{table} tr")
    for text in texts:
        row = row.filter(has_text=text)
    return row


def _ok(j: Journey, text: str) -> None:
    j.page.wait_for_load_state("networkidle")
    body = j.body()
    assert text in body, body[:2000]


@pytest.mark.browser
def test_dispatch_journey(demo_school, live_server, browser_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.KESHI_COVER_SUBSTITUTE_DAYS = 3  # three school days away → 代课 by the 教务处
    url = live_server.url
    j = Journey(browser_page, url, "dispatch-journey")
    page = j.page

    teachers = [Person.objects.get(org=demo_school, user__username=u) for u in LOGINS]
    names = [p.name for p in teachers]
    term, monday, wednesday = _free_week(demo_school, teachers)
    week = teaching_week(term, monday)

    # -- 1. the office dispatches both teachers ---------------------------------------------
    j.log_in("office")
    j.nav("外出培训")
    page.get_by_role("link", name="派遣教师").first.click()
    page.wait_for_load_state("networkidle")
    page.get_by_label("培训名称").fill(TITLE)
    page.get_by_label("主办单位").fill(ORGANISER)
    page.get_by_label("级别").select_option(label="省级")
    page.get_by_label("培训地点").fill(PLACE)
    page.get_by_label("跨省").check()
    page.get_by_label("开始日期").fill(f"{monday:%Y-%m-%d}")
    page.get_by_label(re.compile(r"^开始\s*\*?$")).select_option(label="上午")
    page.get_by_label("结束日期").fill(f"{wednesday:%Y-%m-%d}")
    page.get_by_label(re.compile(r"^结束\s*\*?$")).select_option(label="下午")
    page.get_by_label("学时").fill("18")
    page.get_by_label("学分").fill("3")
    page.get_by_label("预计费用（元）").fill("4800")
    assert page.get_by_label("报销费用").is_checked()
    # A searchable picker (web/pickers.js) over the <select>, which still holds the value.
    page.locator("select[name=teachers]").select_option([str(p.pk) for p in teachers])
    j.shot("dispatch-form")
    page.get_by_role("button", name="保存").click()
    _ok(j, "已派遣，四联通知已生成。")
    dispatch = Dispatch.objects.get(org=demo_school, title=TITLE)
    assert dispatch.state == states.DISPATCHED
    assert (dispatch.start_date, dispatch.end_date) == (monday, wednesday)
    assert dispatch.cross_province and dispatch.reimbursable and dispatch.days == 3
    assert sorted(dispatch.members.values_list("person__name", flat=True)) == sorted(names)
    assert page.locator("h1").inner_text() == TITLE
    assert "已派遣" in j.body()
    j.shot("dispatch-detail")
    detail_url = page.url
    kinds = {rules.REPORT, rules.REFLECTION, rules.OPEN_CLASS, rules.NEWS, rules.FEEDBACK}
    for person in teachers:
        mine = Obligation.objects.filter(dispatch=dispatch, person=person)
        assert set(mine.values_list("kind", flat=True)) == kinds, person.name
        assert mine.get(kind=rules.REFLECTION).min_chars == 2000

    # -- 2. the 四联通知: the printable page, and the Word file read back ---------------------
    page.get_by_role("link", name="四联通知").click()
    page.wait_for_load_state("networkidle")
    shown = j.body()
    for text in (*PARTS, dispatch.serial, TITLE, *names):
        assert text in shown, text
    parts = dispatch.notice_parts.count()  # a 第一联 per teacher, a 第三联 per 年级组
    assert parts >= len(teachers) + 3
    assert page.locator(".notice-part").count() == parts
    codes = page.locator("code.notice-code").all_inner_texts()
    assert len(set(codes)) == len(codes) and all(re.fullmatch(r"[A-Z2-7]{8}", c) for c in codes)
    j.shot("notice-page")
    page.get_by_role("link", name="返回").click()
    page.wait_for_load_state("networkidle")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Word").click()
    assert download.value.suggested_filename == f"四联培训通知-{dispatch.serial}.docx"
    saved = tmp_path / "notice.docx"
    download.value.save_as(saved)
    document = Document(str(saved))
    lines = [p.text for p in document.paragraphs]
    lines += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    text = "\n".join(lines)
    for part in PARTS:
        assert part in text, part
    assert text.count(PARTS[0]) == len(teachers)
    assert text.count(f"编号 {dispatch.serial}") == parts
    assert TITLE in text and all(name in text for name in names)
    assert all(code in text for code in codes)

    # -- 3. the 教务处 arranges 代课 for every lesson missed, choosing colleagues 空闲 then ----
    page.goto(detail_url)
    page.get_by_role("link", name="调代课安排").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#absences-table tbody tr").count() == len(teachers)
    j.shot("cover-absences")
    absences_url = page.url  # the list filtered by this dispatch
    absences = []
    for person in teachers:
        page.goto(absences_url)
        _row(page, "#absences-table", person.name).get_by_role("link").first.click()
        page.wait_for_load_state("networkidle")
        assert page.locator("#cover-kind").inner_text() == "代课"
        absence = Absence.objects.get(person=person, reference=f"dispatch:{dispatch.pk}")
        absences.append(absence)
        needs = lessons_to_cover(absence)
        assert needs, f"{person.name} should miss lessons on {monday}–{wednesday}"
        j.shot(f"cover-{person.user.username}-before")
        for turn in range(len(needs)):
            open_rows = page.locator("#cover-lessons tbody tr").filter(
                has=page.locator("select[name=cover_person]")
            )
            assert open_rows.count() == len(needs) - turn
            row = open_rows.first
            choice = row.get_by_label("由谁上这节课")
            free = [o for o in choice.locator("option").all_inner_texts() if o.endswith("（空闲）")]
            assert free, row.inner_text()
            choice.select_option(label=free[turn % len(free)])
            row.get_by_role("button", name="安排代课").click()
            _ok(j, "已安排。")
        lessons = page.locator("#cover-lessons").inner_text()
        assert "⚠" not in lessons and "安排时已确认的冲突" not in lessons
        assert page.locator("#cover-lessons select[name=cover_person]").count() == 0
        assert lessons.count("代课 · 已确认") == len(needs)
        j.shot(f"cover-{person.user.username}-covered")
    covers = []
    for absence in absences:
        needs = lessons_to_cover(absence)
        annotate_busy(demo_school, needs)
        for need in needs:
            cover = need.cover
            assert cover is not None, need.key
            assert (cover.kind, cover.status) == (Cover.Kind.SUBSTITUTE, Cover.Status.CONFIRMED)
            assert cover.warnings == "" and cover_clashes(need) == [], need.key
            covers.append(cover)
    slots = [(c.cover_person_id, c.date, c.entry.period) for c in covers]
    assert len(set(slots)) == len(slots), "a colleague covers two lessons at once"

    # -- 4. the 每周工作安排 of that week shows who is away and who covers --------------------
    response = page.goto(f"{url}/weekly/?week={week}")
    assert response is not None and response.status == 200, (
        f"/weekly/?week={week} answered {response and response.status}: the weekly schedule "
        "page (lead's part of issue #12) is not there yet"
    )
    page.wait_for_load_state("networkidle")
    lines = [line for line in j.body().splitlines() if line.strip()]
    for name in names:  # one line a day, besides the training's own line 《…》：names
        away = [line for line in lines if name in line and "外出" in line]
        away = [line for line in away if f"《{TITLE}》" not in line]
        assert len(away) >= 3, f"第{week}周 should show {name} 外出 on each of the three days"
    for cover in covers:
        who, where = cover.cover_person.name, cover.entry.class_name
        shown = any(who in line and "代课" in line and where in line for line in lines)
        assert shown, f"第{week}周 should show {who}代课 of {where} on {cover.date}"
    j.shot("weekly-schedule")

    # -- 7a. the reimbursement list: both blocked, not back yet -------------------------------
    page.goto(f"{url}/dispatch/reimbursement/")
    for name in names:
        row = _row(page, "#reimbursement", dispatch.serial, name)
        assert row.count() == 1
        assert "暂缓报销" in row.inner_text() and "未返校" in row.inner_text()
    j.shot("reimbursement-before-return")

    # -- 5. the teachers come back and register it themselves ---------------------------------
    for username, person in zip(LOGINS, teachers, strict=True):
        j.log_in(username)
        j.nav("外出培训")
        page.get_by_role("link", name=TITLE).first.click()
        page.wait_for_load_state("networkidle")
        _row(page, "#members", person.name).get_by_role("button", name="登记返校").click()
        _ok(j, "已登记返校")
        j.shot(f"returned-{username}")
    dispatch.refresh_from_db()
    assert dispatch.state == states.BACK
    assert all(m.returned_at for m in dispatch.members.all())

    j.log_in("office")
    page.goto(f"{url}/dispatch/reimbursement/")
    for person in teachers:
        text = _row(page, "#reimbursement", dispatch.serial, person.name).inner_text()
        assert "暂缓报销" in text and "未返校" not in text
        for ob in Obligation.objects.filter(dispatch=dispatch, person=person):
            assert ob.label in text, (person.name, ob.label)
    j.shot("reimbursement-blocked")

    # -- 6. each teacher files the 心得 (a 教学反思 record) and uploads the 反馈单 ------------
    for i, (username, person) in enumerate(zip(LOGINS, teachers, strict=True)):
        j.log_in(username)
        j.nav("外出培训")
        page.get_by_role("link", name=TITLE).first.click()
        page.wait_for_load_state("networkidle")
        detail_url = page.url
        reflection = Obligation.objects.get(dispatch=dispatch, person=person, kind=rules.REFLECTION)
        _row(page, "#obligations", person.name, reflection.label).get_by_role(
            "link", name="登记完成"
        ).click()
        page.wait_for_load_state("networkidle")
        page.get_by_role("link", name="先去登记一条记录").click()
        page.wait_for_load_state("networkidle")
        heading = f"《{TITLE}》学习心得"
        body = _reflection(person.name, start=7 * i)
        page.get_by_label("标题").fill(heading)
        page.get_by_label("正文").fill(body)
        counted = int(page.locator('[data-chars-for="id_text"]').inner_text())
        assert counted == count_chars(body) >= 2000
        j.shot(f"reflection-{username}")
        page.get_by_role("button", name="保存").click()
        _ok(j, "已保存")
        record = Activity.objects.get(person=person, title=heading)
        assert record.kind.code == "reflection" and record.chars == counted

        page.goto(detail_url)
        _row(page, "#obligations", person.name, reflection.label).get_by_role(
            "link", name="登记完成"
        ).click()
        page.wait_for_load_state("networkidle")
        card = page.locator(".card").filter(has_text="关联一条工作记录")
        option = card.locator("option").filter(has_text=heading)
        card.locator("select").select_option(value=option.get_attribute("value"))
        j.shot(f"reflection-link-{username}")
        card.get_by_role("button", name="关联").click()
        _ok(j, f"“{reflection.label}”已完成。")

        feedback = Obligation.objects.get(dispatch=dispatch, person=person, kind=rules.FEEDBACK)
        _row(page, "#obligations", person.name, feedback.label).get_by_role(
            "link", name="登记完成"
        ).click()
        page.wait_for_load_state("networkidle")
        card = page.locator(".card").filter(has_text="或上传文件")
        card.locator("input[type=file]").set_input_files(str(_feedback_docx(tmp_path, person.name)))
        card.get_by_role("button", name="上传", exact=True).click()
        _ok(j, f"“{feedback.label}”已完成。")
        j.shot(f"filed-{username}")
        reflection.refresh_from_db()
        feedback.refresh_from_db()
        assert reflection.met_at and reflection.activity_id == record.pk
        assert feedback.met_at and feedback.file_name == f"学习反馈单-{person.name}.docx"

    # -- 6b. the office confirms the 返校汇报, 汇报课 and 新闻, and the attendance --------------
    j.log_in("office")
    page.goto(f"{url}/dispatch/{dispatch.pk}/")
    for ob in Obligation.objects.filter(dispatch=dispatch, met_at__isnull=True).select_related(
        "person"
    ):
        _row(page, "#obligations", ob.person.name, ob.label).get_by_role(
            "link", name="登记完成"
        ).click()
        page.wait_for_load_state("networkidle")
        card = page.locator(".card").filter(has_text="教科室确认完成")
        card.locator("input[name=note]").fill(
            f"{timezone.localdate():%m月%d日}语文组教研活动上完成"
        )
        card.get_by_role("button", name="确认完成").click()
        _ok(j, f"“{ob.label}”已完成。")
    for person in teachers:
        _row(page, "#members", person.name).get_by_role("button", name="确认出勤").click()
        _ok(j, "已确认出勤，培训学时已登记。")
    j.shot("dispatch-all-met")

    # -- 7b. cleared: the reimbursement list and the dispatch say 可报销 -----------------------
    dispatch.refresh_from_db()
    assert dispatch.state == states.REIMBURSABLE
    assert not Obligation.objects.filter(dispatch=dispatch, met_at__isnull=True).exists()
    assert "可报销" in page.locator("h1").locator("..").inner_text()
    page.goto(f"{url}/dispatch/reimbursement/")
    for name in names:
        row = _row(page, "#reimbursement", dispatch.serial, name)
        cells = row.locator("td").all_inner_texts()
        assert cells[4].strip() == "可报销" and cells[5].strip() == "", cells
    j.shot("reimbursement-cleared")
    j.assert_clean()
