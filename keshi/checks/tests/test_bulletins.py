import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from docx.oxml.ns import qn

from keshi.checks import services
from keshi.checks.models import Bulletin
from keshi.checks.tests.factories import full_marks, inspection, person


@pytest.fixture
def sources(cast):
    ins = inspection(cast)
    rows = {
        person(u).pk: {"scores": full_marks(ins, f), "findings": note}
        for u, f, note in (
            (cast.teacher, 1.0, "教案详实"),
            (cast.other_teacher, 0.7, "反思偏少"),
            (cast.lead, 0.95, ""),
        )
    }
    services.record_scores(inspection=ins, by=cast.office, rows=rows)
    services.add_rectification(
        inspection=ins,
        text="补写反思",
        responsible=person(cast.other_teacher),
        due=date(2025, 5, 1),
    )
    services.complete_inspection(inspection=ins)
    draw = services.commit_draw(
        org=cast.school,
        title="初一教案抽查",
        population=["语文", "数学", "英语", "物理"],
        k=3,
        by=cast.office,
    )
    draw = services.reveal_draw(draw=draw, by=cast.office)
    return ins, draw


def test_compose_and_number(cast, sources):
    ins, draw = sources
    bulletin = services.create_bulletin(
        org=cast.school,
        by=cast.office,
        title="教科研信息",
        issue_date=date(2025, 4, 30),
        inspections=[ins],
        draws=[draw],
        news="语文组开展同课异构\n4月18日，语文组……\n\n青年教师基本功比赛\n共 12 人参赛。",
    )
    assert bulletin.number == 1 and bulletin.status == "draft"
    items = list(bulletin.items.all())
    assert [i.source for i in items] == ["inspection", "draw", "news", "news"]
    summary = items[0].body
    assert (
        "共评3人" in summary
        and "平均得分率88.33%" in summary
        and "表现优秀：张老师、王组长" in summary
    )
    assert "反思偏少" in summary and "提出整改1项，已完成0项" in summary
    assert items[0].table["rows"] == [["语文组", "3", "88.33%", "优2，中1"]]
    draw_body = items[1].body
    assert "、".join(draw.result) in draw_body and draw_body.endswith("抽签过程可验证，见附录。")
    assert draw.seed not in draw_body and draw.commitment not in draw_body
    assert "SHA" not in draw_body and "由教科室在系统中公开抽签" in draw_body
    assert items[2].heading == "语文组开展同课异构" and items[3].body == "共 12 人参赛。"
    assert services.next_number(cast.school) == 2
    with pytest.raises(ValidationError, match="第1期已存在"):
        services.create_bulletin(
            org=cast.school,
            by=cast.office,
            title="x",
            issue_date=date(2025, 5, 1),
            number=1,
            news="a",
        )


def test_publish_and_visibility(client, cast, sources):
    ins, draw = sources
    bulletin = services.create_bulletin(
        org=cast.school,
        by=cast.office,
        title="教科研信息",
        issue_date=date(2025, 4, 30),
        inspections=[ins],
        draws=[draw],
    )
    url = reverse("checks:bulletin", args=[bulletin.pk])
    client.force_login(cast.teacher)
    assert client.get(url).status_code == 404
    assert "还没有发布的简报" in client.get(reverse("checks:bulletins")).content.decode()
    client.force_login(cast.office)
    assert (
        client.post(
            reverse("checks:bulletin_publish", args=[bulletin.pk]), {"publish": "1"}
        ).status_code
        == 302
    )
    bulletin.refresh_from_db()
    assert bulletin.status == Bulletin.Status.PUBLISHED and bulletin.published_at
    for user in (cast.teacher, cast.lead, cast.leader, cast.district):
        client.force_login(user)
        body = client.get(url).content.decode()
        assert "期中教案检查情况通报" in body and "第1期" in body, user
        # The hashes appear once, in the appendix after the pieces, never in a piece's body.
        assert body.count(draw.commitment) == 1 and body.count(draw.seed) == 1, user
        assert body.index("附录：抽签验证信息") < body.index(draw.commitment), user
        assert (
            client.post(
                reverse("checks:bulletin_publish", args=[bulletin.pk]), {"publish": ""}
            ).status_code
            == 403
        )
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    assert client.get(reverse("checks:bulletin_export", args=[bulletin.pk])).status_code == 404


def test_docx_export(client, cast, sources):
    ins, draw = sources
    bulletin = services.create_bulletin(
        org=cast.school,
        by=cast.office,
        title="教科研信息",
        issue_date=date(2025, 4, 30),
        editor="教科室",
        inspections=[ins],
        draws=[draw],
    )
    client.force_login(cast.office)
    response = client.get(reverse("checks:bulletin_export", args=[bulletin.pk]))
    assert response["Content-Type"].endswith("wordprocessingml.document")
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    # 红头: the org and title in large red type, 第N期, the editor and date over a red rule.
    assert texts[:3] == ["示范中学教科研信息", "第1期", "示范中学　编辑：教科室\t2025年4月30日"]
    head = doc.paragraphs[0].runs[0]
    assert str(head.font.color.rgb) == "E60012" and head.font.size.pt == 36 and head.bold
    rule = doc.paragraphs[2]._p.pPr.find(qn("w:pBdr")).find(qn("w:bottom"))
    assert rule.get(qn("w:color")) == "E60012" and rule.get(qn("w:val")) == "single"
    assert "一、期中教案检查情况通报" in texts and "二、初一教案抽查抽签结果" in texts
    appendix = texts.index("附录：抽签验证信息")
    assert not any(draw.commitment in t or draw.seed in t for t in texts[:appendix])
    assert texts[appendix + 1 : appendix + 4] == [
        "初一教案抽查：",
        f"抽签前公布的承诺值（SHA-256）：{draw.commitment}",
        f"开签后公开的种子：{draw.seed}",
    ]
    assert texts[appendix + 4].startswith("复核方法：")
    assert doc.tables[0].rows[0].cells[0].text == "组别"
    fonts = doc.styles["Normal"].element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "仿宋"
    )


def test_compose_pages(client, cast, sources):
    ins, draw = sources
    client.force_login(cast.office)
    page = client.get(reverse("checks:bulletin_new"))
    assert page.status_code == 200 and "期中教案检查" in page.content.decode()
    empty = client.post(
        reverse("checks:bulletin_new"),
        {"title": "教科研信息", "number": 1, "issue_date": "2025-04-30"},
    )
    assert "请至少选择一项内容" in empty.content.decode() and not Bulletin.objects.exists()
    done = client.post(
        reverse("checks:bulletin_new"),
        {
            "title": "教科研信息",
            "number": 1,
            "issue_date": "2025-04-30",
            "inspections": [ins.pk],
            "draws": [draw.pk],
        },
    )
    bulletin = Bulletin.objects.get()
    assert done.url == reverse("checks:bulletin", args=[bulletin.pk])
    item = bulletin.items.first()
    edit = reverse("checks:bulletin_item", args=[bulletin.pk, item.pk])
    assert "小标题" in client.post(edit, {"heading": "", "body": "x"}).content.decode()
    client.post(edit, {"heading": "期中检查通报", "body": "改写后的正文"})
    item.refresh_from_db()
    assert (item.heading, item.body) == ("期中检查通报", "改写后的正文")
    client.post(edit, {"action": "delete"})
    assert bulletin.items.count() == 1
    for user in (cast.teacher, cast.leader):
        client.force_login(user)
        assert client.get(reverse("checks:bulletin_new")).status_code == 403


def test_unrevealed_draw_waits_in_the_appendix(cast):
    draw = services.commit_draw(
        org=cast.school, title="推门听课", population=["语文", "数学"], k=1, by=cast.office
    )
    bulletin = services.create_bulletin(
        org=cast.school, by=cast.office, title="教科研信息", issue_date=date(2025, 4, 30),
        draws=[draw],
    )  # fmt: skip
    body = bulletin.items.get().body
    assert body.endswith("尚未开签。抽签过程可验证，见附录。") and draw.commitment not in body
    from keshi.checks.compose import appendix

    (line,) = appendix(bulletin)
    assert line.text == (
        f"推门听课：抽签前公布的承诺值（SHA-256）{draw.commitment}；尚未开签，种子开签后公开。"
    )
    assert draw.seed not in line.text  # the seed stays secret until the draw is revealed


def test_bulletin_prints_with_a_red_header(cast, sources, tmp_path):
    """Pages in test-artifacts/bulletin-*.png: 红头, pieces, the appendix last."""
    from keshi.checks.exports import bulletin_docx
    from keshi.plans.tests.test_word import _pages, _print, _text

    ins, draw = sources
    bulletin = services.create_bulletin(
        org=cast.school, by=cast.office, title="教科研信息", issue_date=date(2025, 4, 30),
        editor="李主任", inspections=[ins], draws=[draw],
        news="青年教师基本功比赛\n4月25日，12名青年教师参加粉笔字、简笔画和说课比赛。",
    )  # fmt: skip
    pdf = _print(bulletin_docx(bulletin), "bulletin", tmp_path)
    text = _text(pdf)
    assert text.index("示范中学教科研信息") < text.index("第1期") < text.index("编辑：李主任")
    assert text.index("抽签过程可验证，见附录") < text.index("附录：抽签验证信息")
    assert _pages(pdf) <= 2
