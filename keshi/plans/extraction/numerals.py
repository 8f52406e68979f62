"""Chinese and Arabic numerals as they are written in plans: 两, 十五, 一百二十, 半, 一个半, ０.５.

Pure: no Django. ``parse_number`` reads one numeral; ``NUMBER`` is the regex fragment the
extractors use to find them; ``to_chinese`` writes an integer the way a plan would (for tests
and for the readable table).
"""

import re

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4}
DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4}
DIGITS |= {"伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}

CN_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)
# One numeral: Arabic (with decimals) or Chinese, optionally "个半" (一个半 = 1.5), or a lone 半.
NUMBER = rf"(?:\d+(?:\.\d+)?|[{CN_CHARS}]+(?:个半)?|半)"

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH |= {0x3000: 0x20, ord("∼"): ord("∽"), ord("〜"): ord("～")}


def normalise(text: str) -> str:
    """Full-width ASCII → ASCII, one character for one, so offsets stay valid on the original."""
    return text.translate(_FULL_WIDTH)


def _parse_section(text: str) -> int:
    """A numeral below 10000: 一百二十, 十五, 两千零五."""
    total, digit = 0, None
    for char in text:
        if char in DIGITS:
            digit = DIGITS[char]
        elif char in SMALL_UNITS:
            total += (1 if digit is None else digit) * SMALL_UNITS[char]
            digit = None
        else:
            raise ValueError(text)
    return total + (digit or 0)


def parse_chinese(text: str) -> int:
    if not text or any(char not in CN_CHARS for char in text):
        raise ValueError(text)
    if len(text) > 1 and all(char in DIGITS for char in text):
        return int("".join(str(DIGITS[char]) for char in text))  # 二〇二五 read digit by digit
    total, rest = 0, text
    for unit_char, unit in sorted(BIG_UNITS.items(), key=lambda item: -item[1]):
        if unit_char in rest:
            head, rest = rest.split(unit_char, 1)
            total += (_parse_section(head) if head else 1) * unit
    return total + (_parse_section(rest) if rest else 0)


def parse_number(text: str) -> float | int:
    """``"15"`` → 15, ``"两"`` → 2, ``"0.5"``/``"半"`` → 0.5, ``"一个半"`` → 1.5, ``"１５"`` → 15."""
    text = normalise(text).strip()
    if text == "半":
        return 0.5
    if text.endswith("个半"):
        return parse_number(text[:-2]) + 0.5
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text):
        return float(text)
    return parse_chinese(text)


ADJACENT_RANGE = re.compile(r"^([一二两三四五六七八九])([二三四五六七八九十])$")


def adjacent_range(text: str) -> tuple[int, int] | None:
    """两三 → (2, 3), 三五 → (3, 5): two small digits side by side mean "about this many"."""
    match = ADJACENT_RANGE.match(text)
    if not match:
        return None
    low, high = DIGITS[match[1]], DIGITS.get(match[2], 10)
    return (low, high) if high > low else None


_WRITE = "零一二三四五六七八九"


def to_chinese(number: int) -> str:
    """0 → 零, 15 → 十五, 105 → 一百零五, 2000 → 二千, 10000 → 一万 (below 10^8)."""
    if number < 0 or number >= 100_000_000:
        raise ValueError(number)
    if number == 0:
        return "零"
    if number >= 10_000:
        high, low = divmod(number, 10_000)
        tail = "" if low == 0 else ("零" if low < 1000 else "") + _below_10000(low)
        return _below_10000(high) + "万" + tail
    text = _below_10000(number)
    return text[1:] if text.startswith("一十") else text


def _below_10000(number: int) -> str:
    parts, zero = [], False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, unit)
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(_WRITE[digit] + name)
            zero = False
        else:
            zero = True
    return "".join(parts)
