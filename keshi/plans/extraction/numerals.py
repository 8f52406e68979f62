"""Chinese and Arabic numerals as they are written in plans: 两, 十五, 一百二十, 8千, 1.5万, 半,
一个半, ０.５.

Pure: no Django. ``parse_number`` reads one numeral (cn2an does the reading); ``NUMBER`` is the
regex fragment the extractors use to find them; ``to_chinese`` writes an integer the way a plan
would (for tests and for the readable table).
"""

import re

import cn2an

DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4}
DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "壹": 1, "贰": 2, "叁": 3, "肆": 4}
DIGITS |= {"伍": 5, "陆": 6, "柒": 7, "捌": 8, "玖": 9}
UNITS = "十拾百佰千仟万亿"

CN_CHARS = "".join(DIGITS) + UNITS
# One numeral: Arabic (with decimals, and a Chinese unit after it: 8千, 1.5万) or Chinese,
# optionally "个半" (一个半 = 1.5), or a lone 半.
NUMBER = rf"(?:\d+(?:\.\d+)?[{UNITS}]*|[{CN_CHARS}]+(?:个半)?|半)"
# Spellings cn2an does not read, as the ones it does.
_SPELLING = str.maketrans({"俩": "两", "○": "〇"})

_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULL_WIDTH |= {0x3000: 0x20, ord("∼"): ord("∽"), ord("〜"): ord("～")}


def normalise(text: str) -> str:
    """Full-width ASCII → ASCII, one character for one, so offsets stay valid on the original."""
    return text.translate(_FULL_WIDTH)


def parse_number(text: str) -> float | int:
    """``"15"`` → 15, ``"两"`` → 2, ``"0.5"``/``"半"`` → 0.5, ``"一个半"`` → 1.5, ``"１５"`` → 15,
    ``"8千"`` → 8000, ``"1.5万"`` → 15000. Raises ValueError for anything else."""
    text = normalise(text).strip()
    if text == "半":
        return 0.5
    if text.endswith("个半"):
        return parse_number(text[:-2]) + 0.5
    if re.fullmatch(r"\d+", text):
        return int(text)
    if re.fullmatch(r"\d+\.\d+", text):
        return float(text)
    if not text or text[0] in UNITS and text[0] not in "十拾":
        raise ValueError(text)  # 千万, 百: a word, not a numeral
    value = cn2an.cn2an(text.translate(_SPELLING), "smart")  # ValueError when it is none
    return int(value) if float(value).is_integer() else float(value)


ADJACENT_RANGE = re.compile(r"^([一二两三四五六七八九])([二三四五六七八九十])$")


def adjacent_range(text: str) -> tuple[int, int] | None:
    """两三 → (2, 3), 三五 → (3, 5): two small digits side by side mean "about this many"."""
    match = ADJACENT_RANGE.match(text)
    if not match:
        return None
    low, high = DIGITS[match[1]], DIGITS.get(match[2], 10)
    return (low, high) if high > low else None


def to_chinese(number: int) -> str:
    """0 → 零, 15 → 十五, 105 → 一百零五, 2000 → 二千, 10000 → 一万 (below 10^8)."""
    if number < 0 or number >= 100_000_000:
        raise ValueError(number)
    return cn2an.an2cn(number)
