"""Plausible Chinese names for the demo school, drawn from a seeded ``random.Random``. Pure.

Surnames are weighted roughly by how common they are; given names have one or two characters
chosen from lists that read naturally for women and for men. Strings only ever go through
lists (never sets), so the same seed always yields the same names.
"""

import random
from dataclasses import dataclass

# (surname, weight): the most common surnames first.
SURNAMES: list[tuple[str, int]] = [
    ("王", 72), ("李", 71), ("张", 68), ("刘", 54), ("陈", 46), ("杨", 33), ("黄", 25),
    ("赵", 22), ("吴", 21), ("周", 21), ("徐", 15), ("孙", 15), ("马", 13), ("朱", 13),
    ("胡", 12), ("郭", 12), ("何", 10), ("高", 10), ("林", 10), ("罗", 9), ("郑", 9),
    ("梁", 9), ("谢", 7), ("宋", 7), ("唐", 7), ("许", 6), ("韩", 6), ("冯", 6), ("邓", 6),
    ("曹", 6), ("彭", 5), ("曾", 5), ("肖", 5), ("田", 5), ("董", 5), ("袁", 4), ("潘", 4),
    ("于", 4), ("蒋", 4), ("蔡", 4), ("余", 4), ("杜", 4), ("叶", 4), ("程", 4), ("苏", 3),
    ("魏", 3), ("吕", 3), ("丁", 3), ("任", 3), ("沈", 3), ("姚", 3), ("卢", 3), ("姜", 3),
    ("崔", 3), ("钟", 3), ("谭", 3), ("陆", 3), ("汪", 3), ("范", 3), ("金", 3), ("石", 3),
    ("廖", 2), ("贾", 2), ("夏", 2), ("韦", 2), ("方", 2), ("白", 2), ("邹", 2), ("孟", 2),
    ("熊", 2), ("秦", 2), ("邱", 2), ("江", 2), ("尹", 2), ("薛", 2), ("段", 2), ("顾", 2),
]  # fmt: skip

FEMALE_CHARS = list(
    "静丽敏婷雪梅慧颖琳洁燕芳霞娟倩玲萍蓉晶欣怡佳悦璐瑶琪雯丹蕾露楠馨妍岚晓思雨嘉秋莉琴婉"
)
MALE_CHARS = list("伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙峰建国志博亮晨阳昊毅")


@dataclass(frozen=True)
class Name:
    surname: str
    given: str

    @property
    def full(self) -> str:
        return self.surname + self.given


class NameGenerator:
    """Hands out names that are unique across everything generated with this instance."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[str] = set()
        self._surnames = [s for s, _ in SURNAMES]
        self._weights = [w for _, w in SURNAMES]

    def take(self, gender: str) -> Name:
        chars = FEMALE_CHARS if gender == "F" else MALE_CHARS
        while True:
            surname = self._rng.choices(self._surnames, self._weights)[0]
            if self._rng.random() < 0.8:
                given = "".join(self._rng.sample(chars, 2))
            else:
                given = self._rng.choice(chars)
            name = Name(surname, given)
            if name.full not in self._used:
                self._used.add(name.full)
                return name
