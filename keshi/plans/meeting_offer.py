"""Is an org's own event a 例会 (每周行政碰头会, 每两周召开一次组长会, 每月学科主任会)? Then
accepting it may also set up the recurring meeting in keshi.groupwork, whose page takes these
values from its query string. Pure: no Django."""

from __future__ import annotations

import re

PERIODS = ("week", "2weeks", "month")  # the extractor's periods a 例会 can repeat by
_MEETING = re.compile(r"(?:行政|碰头|组长|主任|班子|例)会")
_NAMED = re.compile(r"(?:召开|举行|开好|开)(?:一次)?([^，,。；;、\s]{1,12}?会)")
_WEEKDAY = re.compile(r"每(?:两)?周(?:星期|周)?([一二三四五六日])")
_DAYS = "一二三四五六日"


def meeting_offer(source: str, period: str | None) -> dict[str, str] | None:
    """The meeting's name, how often and (when the clause says) the weekday, or None when the
    clause is no recurring 例会."""
    text = source.strip()
    found = _MEETING.search(text)
    if period not in PERIODS or found is None:
        return None
    named = _NAMED.search(text)
    name = named.group(1) if named and _MEETING.search(named.group(1)) else None
    if name is None:  # 每周行政碰头会: the words before the 会 up to the period
        name = re.sub(r"^.*?每(?:两)?[周月](?:星期|周)?[一二三四五六日]?", "", text[: found.end()])
    offer = {"name": name[:100] or found.group(0), "every": period}
    if day := _WEEKDAY.search(text):
        offer["weekday"] = str(_DAYS.index(day.group(1)))
    return offer
