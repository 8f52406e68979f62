"""Issue #19.6: names and requirement titles go into DingTalk/WeCom markdown as text, never as
markup: every interpolated value is escaped, the message's own markup is not."""

from datetime import date
from decimal import Decimal

import pytest

from keshi.notify import daily, digest, webhooks
from keshi.notify.models import Channel
from keshi.notify.tests.conftest import DAY
from keshi.rules.status import Status

NAME = "张**老师**[点我](http://evil.example)"
TITLE = "教学反思_1 `x` <font color=red>红</font>"
HEADING = "语文组\n### 假标题\n- 假条目"


def test_escape_markdown_quotes_every_markup_character():
    esc = webhooks.escape_markdown
    assert esc("普通文字 123") == "普通文字 123"
    assert esc("**粗**") == r"\*\*粗\*\*"
    assert esc("[链接](http://x)") == r"\[链接\]\(http://x\)"
    assert esc("a_b `c` #d !e |f ~g \\h >i") == r"a\_b \`c\` \#d \!e \|f \~g \\h &gt;i"
    assert esc("<font color=red>x</font>") == "&lt;font color=red&gt;x&lt;/font&gt;"
    assert esc("A&B") == "A&amp;B"
    assert esc("一\n二\r\n三\t四") == "一 二 三 四", "a value stays on its line"
    assert esc("- 条目") == r"\- 条目" and esc("+ 条目") == r"\+ 条目"
    assert esc("1. 第一") == r"1\. 第一" and esc("12) 第二") == r"12\) 第二"
    assert esc("3.5 节") == "3.5 节", "a number is not a list marker"


def test_values_in_a_digest_are_escaped_in_markdown_only():
    me = digest.Standing(NAME)
    me.overdue.append(digest.Item(TITLE, Status.MISSED, Decimal(0), Decimal(1), date(2026, 9, 24)))
    lead_view = digest.Standing(NAME, behind=list(me.overdue))
    summary = digest.OrgSummary("示范*中学*", DAY, 3, [NAME], [], 0, 3)
    message = digest.person_message(
        me, at=DAY, days_ahead=3, groups=[(HEADING, [lead_view])], summary=summary,
        link="https://keshi.example.edu.cn/rules/compliance/",
    )  # fmt: skip
    md = message.markdown
    for raw in ("**老师**", "[点我](", "`x`", "<font", "\n### 假标题", "\n- 假条目", "*中学*"):
        assert raw not in md
    assert r"张\*\*老师\*\*\[点我\]\(http://evil.example\)" in md
    assert r"教学反思\_1 \`x\` &lt;font color=red&gt;红&lt;/font&gt;" in md
    assert r"语文组 \#\#\# 假标题 - 假条目" in md, "one line: a mid-line - is no list"
    assert md.startswith("### 每日提醒") and "**已逾期**" in md, "our own markup stays"
    assert "[查看详情](https://keshi.example.edu.cn/rules/compliance/)" in md
    # plain text (in-app, e-mail) and the DingTalk title are not markdown: unchanged
    assert NAME in message.text and TITLE in message.text and "示范*中学*概况" in message.text
    assert message.title.startswith("每日提醒（9月25日周五）：1项已逾期，语文组\n###")


@pytest.mark.django_db
def test_robots_receive_escaped_names(cast, term, scenario, receiver):
    person = cast.teacher.person
    person.name = NAME
    person.save()
    scenario.reflection.name = TITLE
    scenario.reflection.save()
    Channel.objects.create(
        org=cast.school, name="群", kind=Channel.Kind.WECOM, webhook_url=receiver.url("/s?key=1")
    )
    daily.send_daily_reminders(at=DAY)
    (posted,) = receiver.received
    content = posted.body["markdown"]["content"]
    assert "[点我](" not in content and "**老师**" not in content
    assert r"逾期名单：张\*\*老师\*\*\[点我\]\(http://evil.example\)" in content


@pytest.mark.django_db
def test_the_test_message_escapes_the_channel_name(cast, receiver):
    Channel.objects.create(
        org=cast.school, name="教研群](http://evil.example)", kind=Channel.Kind.WECOM,
        webhook_url=receiver.url("/s?key=1"),
    )  # fmt: skip
    from keshi.notify import services

    assert services.send_test(Channel.objects.get()) is None
    content = receiver.received[0].body["markdown"]["content"]
    assert r"提醒渠道“教研群\]\(http://evil.example\)”配置正确" in content
