"""The genre's structure: sections (指导思想 … 行事历), the 分工 lines and the 行事历 items.

行事历 items come as a month header followed by numbered lines ("九月：", "9月份", "9-10月",
"元-2月", "寒假"), as a header with the items on the same line ("11月份青年教师赛课"), by
teaching week ("第3周", "第1-2周") or as a table (a 月份/时间 column and a 内容 column).
"""

import re
from dataclasses import asdict, dataclass, field

from .clauses import strip_list_number
from .numerals import parse_number
from .reader import Line

SECTION_KINDS: list[tuple[str, str]] = [
    ("guiding", r"指导思想|基本思路|总体思路|工作思路|指导方针"),
    ("goals", r"目标"),
    ("duties", r"分工|职责|团队建设"),
    ("calendar", r"行事历|活动安排|工作安排|时间安排|日程|配档|进度|月度工作|每月工作|具体安排"),
    ("measures", r"措施|举措|做法|办法"),
    ("work", r"主要工作|工作重点|工作要点|重点工作|具体工作|工作内容|主要任务|工作任务|常规工作"),
]
NUMBERED = re.compile(
    r"^\s*(?:(?P<l1>第?[一二三四五六七八九十]+[、.．]|第[一二三四五六七八九十]+部分)"
    r"|(?P<l2>[（(][一二三四五六七八九十]+[）)][、.．]?))\s*(?P<title>.+?)\s*$"
)
BOUNDARY = re.compile(r"篇[一二三四五六七八九十\d]+\s*$")
MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]|[一二三四五六七八九十]|元|正|腊)"
WHEN = (
    rf"(?:{MONTH}(?:月份?)?(?:\s*[-—–~至到、]\s*{MONTH})*月份?|寒假|暑假|开学前|开学初|学期初|期初|期中|期末|学期末"
    r"|第[\d一二三四五六七八九十]+(?:\s*[-—~至到]\s*[\d一二三四五六七八九十]+)?周)"
)
WHEN_LINE = re.compile(rf"^(?P<when>{WHEN})(?![\d日号])\s*[：:]?\s*(?P<rest>.*)$")
OWNER = re.compile(r"(?:组织|策划|负责|负责人|责任人|牵头|主持)[：:]\s*(?P<owner>[^。；;]+)")
DUTY = re.compile(
    r"^(?:(?P<role1>科主任|副主任|护士长|住院总|组长|副组长|主任)\s*)?"
    r"(?P<who>[\u4e00-\u9fa5]{2,4}|[xX]{2,3})\s*(?:[（(](?P<role>[^）)]{1,8})[）)])?\s*[：:]\s*(?P<duty>.+)$"
)
DUTY_VERB = re.compile(r"^(?:全面)?(?:负责|分管|主持|协助|主抓|牵头|统筹)")
LABELS = {
    "组织",
    "策划",
    "时间",
    "地点",
    "主题",
    "内容",
    "要求",
    "形式",
    "目的",
    "对象",
    "方式",
    "具体安排",
}


@dataclass
class Section:
    title: str
    kind: str
    level: int
    line: int
    text: str = ""


@dataclass
class Duty:
    who: str
    duty: str
    role: str | None = None
    line: int = 0


@dataclass
class CalendarItem:
    when: str
    text: str
    months: list[int] = field(default_factory=list)
    weeks: list[int] = field(default_factory=list)
    owner: str | None = None
    line: int = 0


def section_kind(title: str) -> str:
    for kind, pattern in SECTION_KINDS:
        if re.search(pattern, title):
            return kind
    return "free"


def heading(text: str) -> tuple[int, str] | None:
    match = NUMBERED.match(text)
    if match:
        title = match["title"].rstrip("：:")
        level = 1 if match["l1"] else 2
        if len(title) <= 30 and (level == 1 or section_kind(title) != "free"):
            return level, title
        return None
    bare = text.strip().rstrip("：:")
    if len(bare) <= 10 and section_kind(bare) != "free" and not re.search(r"[，。；]", bare):
        return 1, bare
    return None


def _number(text: str) -> int:
    return {"元": 1, "正": 1, "腊": 12}.get(text) or int(parse_number(text))


def when_span(when: str) -> tuple[list[int], list[int]]:
    """'9-10月' → ([9, 10], []); '元-2月' → ([1, 2], []); '第1-2周' → ([], [1, 2]); 寒假 → ([1, 2], [])."""
    if when in ("寒假",):
        return [1, 2], []
    if when in ("暑假",):
        return [7, 8], []
    week = re.match(r"第(.+?)(?:\s*[-—~至到]\s*(.+?))?周", when)
    if week:
        first = _number(week[1])
        last = _number(week[2]) if week[2] else first
        return [], list(range(first, last + 1))
    found = [_number(n) for n in re.findall(MONTH, when.replace("月份", "").replace("月", ""))]
    if len(found) == 2 and re.search(r"[-—–~至到]", when):
        first, last = found
        span = range(first, last + 1) if first <= last else [*range(first, 13), *range(1, last + 1)]
        return list(span), []
    return found, []


def _owner(text: str) -> tuple[str, str | None]:
    match = OWNER.search(text)
    if not match:
        return text, None
    return text[: match.start()].rstrip("。；;， "), match["owner"].strip("。 ")


class Analyser:
    def __init__(self, lines: list[Line]) -> None:
        self.lines = lines
        self.sections: list[Section] = []
        self.duties: list[Duty] = []
        self.calendar: list[CalendarItem] = []
        self.month: tuple[str, int] | None = None  # the open month header and its line

    def run(self) -> "Analyser":
        tables = {line.table for line in self.lines if line.table is not None}
        for table in sorted(tables):
            self._table([(i, row) for i, row in enumerate(self.lines) if row.table == table])
        for number, line in enumerate(self.lines):
            if line.table is None:
                self._line(number, line.text)
        for section in self.sections:
            section.text = section.text.strip()
        return self

    def _current(self) -> str:
        return self.sections[-1].kind if self.sections else "free"

    def _line(self, number: int, text: str) -> None:
        if BOUNDARY.search(text) and len(text) <= 40:
            self.sections.append(Section(text.strip(), "plan", 0, number))
            self.month = None
            return
        found = heading(text)
        if found and not WHEN_LINE.match(text.strip()):
            level, title = found
            self.sections.append(Section(title, section_kind(title), level, number))
            if level == 1 or section_kind(title) != "calendar":
                self.month = None
            return
        if self._calendar(number, text) or self._duty(number, text):
            return
        if self.sections:
            self.sections[-1].text += text + "\n"

    def _calendar(self, number: int, text: str) -> bool:
        stripped = strip_list_number(text).strip()
        match = WHEN_LINE.match(stripped)
        in_calendar = self._current() == "calendar"
        if match and (in_calendar or not match["rest"]) and len(stripped) <= 80:
            self.month = (match["when"], number)
            for part in filter(None, re.split(r"[；;]", match["rest"])):
                self._item(match["when"], part, number)
            return True
        if self.month and len(re.findall(r"[\u4e00-\u9fa5]", stripped)) >= 2:
            item, owner = _owner(stripped)
            if owner and not item and self.calendar:
                self.calendar[-1].owner = owner
            else:
                self._item(self.month[0], stripped, number)
            return True
        return False

    def _item(self, when: str, text: str, number: int) -> None:
        text, owner = _owner(strip_list_number(text).strip())
        months, weeks = when_span(when)
        if text:
            self.calendar.append(CalendarItem(when, text, months, weeks, owner, number))

    def _duty(self, number: int, text: str) -> bool:
        match = DUTY.match(strip_list_number(text).strip())
        if not match or match["who"] in LABELS:
            return False
        if self._current() != "duties" and not DUTY_VERB.match(match["duty"]):
            return False
        role = match["role"] or match["role1"]
        self.duties.append(Duty(match["who"], match["duty"].strip(), role, number))
        return True

    def _table(self, rows: list[tuple[int, Line]]) -> None:
        number, head = rows[0]
        cells = [cell.replace(" ", "") for cell in head.cells]

        def column(pattern: str) -> int | None:
            return next((i for i, cell in enumerate(cells) if re.search(pattern, cell)), None)

        when, what = column(r"月份|时间|日期|周次|月"), column(r"内容|工作|活动|项目|安排")
        owner = column(r"负责|责任|部门|组织|牵头")
        who, duty = column(r"姓名|人员|成员"), column(r"职责|分工|任务|负责")
        if when is not None and what is not None and when != what:
            for row_no, row in rows[1:]:
                get = _getter(row.cells)
                if not get(what):
                    continue
                months, weeks = when_span(get(when)) if re.search(WHEN, get(when)) else ([], [])
                for part in filter(None, re.split(r"[；;\n]", get(what))):
                    text = strip_list_number(part).strip()
                    self.calendar.append(
                        CalendarItem(get(when), text, months, weeks, get(owner) or None, row_no)
                    )
        elif who is not None and duty is not None and who != duty:
            for row_no, row in rows[1:]:
                if len(row.cells) > max(who, duty) and row.cells[who]:
                    self.duties.append(Duty(row.cells[who], row.cells[duty], None, row_no))


def _getter(cells: tuple[str, ...]):
    def get(index: int | None) -> str:
        return cells[index].strip() if index is not None and index < len(cells) else ""

    return get


def analyse(lines: list[Line]) -> dict:
    result = Analyser(lines).run()
    return {
        "sections": [asdict(section) for section in result.sections],
        "duties": [asdict(duty) for duty in result.duties],
        "calendar": [asdict(item) for item in result.calendar],
    }
