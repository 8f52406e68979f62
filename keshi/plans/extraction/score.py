"""Scoring extracted items against a hand-made key (gold): recall, precision, period and kind.

A gold item is ``{"anchor", "value", "op"?, "period"?, "kind"?, "who"?, "unit"?, "type"?,
"optional"?}``. It is found when an extracted requirement or target has a source that contains
the anchor (or is contained in it) and the same value — a range's upper bound may match too.
Optional items may be reported or not: matching one neither helps nor hurts. Period, kind and op
accuracy are counted over matched required items whose key states them.

Who: a gold item may carry ``owner`` (person, group, org or role; "person" when absent) and
``who`` (the audience phrase; "" or absent is everyone). ``who`` accuracy is counted over the
matched required items whose key has an ``owner``: right when the owners agree and so do the
phrases — compared without a trailing 的/教师/老师, either containing the other. An empty
phrase (everyone) agrees only with an empty one, except that a key with an empty ``who`` for a
group or the org accepts any phrase (it then only names the unit: 每个教研组). A key that puts
a list of posts in one item (who "校长、教导主任") is matched by one of the extracted items, one
per post; the others are counted correct, not spurious. An extracted item that states no owner is a person's
requirement, or the org's when it is a target (it has a ``metric``).
"""

import re
from dataclasses import dataclass, field

BAR = {"recall": 0.9, "precision": 0.85, "period": 0.9, "kind": 0.8}


@dataclass
class Score:
    required: int = 0
    found: int = 0  # required gold items matched
    extracted: int = 0  # extracted items, less those that only matched optional items
    correct: int = 0  # extracted items matching a required gold item
    checks: dict = field(
        default_factory=lambda: {"period": [0, 0], "kind": [0, 0], "op": [0, 0], "who": [0, 0]}
    )
    missed: list = field(default_factory=list)
    spurious: list = field(default_factory=list)
    wrong: list = field(default_factory=list)

    def __add__(self, other: "Score") -> "Score":
        checks = {
            k: [a + b for a, b in zip(v, other.checks[k], strict=True)]
            for k, v in self.checks.items()
        }
        return Score(
            self.required + other.required,
            self.found + other.found,
            self.extracted + other.extracted,
            self.correct + other.correct,
            checks,
            self.missed + other.missed,
            self.spurious + other.spurious,
            self.wrong + other.wrong,
        )

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def recall(self) -> float:
        return self._ratio(self.found, self.required)

    @property
    def precision(self) -> float:
        return self._ratio(self.correct, self.extracted)

    def accuracy(self, name: str) -> float:
        right, total = self.checks[name]
        return self._ratio(right, total)

    def figures(self) -> dict:
        return {
            "recall": round(self.recall, 3),
            "precision": round(self.precision, 3),
            "period": round(self.accuracy("period"), 3),
            "kind": round(self.accuracy("kind"), 3),
            "op": round(self.accuracy("op"), 3),
            "who": round(self.accuracy("who"), 3),
            "required": self.required,
            "found": self.found,
            "extracted": self.extracted,
        }

    def meets_bar(self) -> bool:
        figures = self.figures()
        return all(figures[name] >= bar for name, bar in BAR.items())


def _phrase(who: str | None) -> str:
    text = re.sub(r"\s", "", who or "")
    while True:
        cut = re.sub(r"(?:的|教师|老师)$", "", text)
        if cut == text:
            return text
        text = cut


def same_who(gold: dict, item: dict) -> bool:
    """Whether an extracted item owes what the key says: same owner, same audience phrase."""
    owner = item.get("owner") or ("org" if "metric" in item else "person")
    if owner != (gold.get("owner") or "person"):
        return False
    want, got = _phrase(gold.get("who")), _phrase(item.get("who"))
    if not want and owner in ("group", "org"):
        return True
    if not want or not got:
        return want == got
    return want in got or got in want


def _same(a: float | None, b: float) -> bool:
    return a is not None and abs(float(a) - float(b)) < 1e-9


def _candidates(gold: dict, items: list[dict]) -> list[tuple[int, str]]:
    anchor = gold["anchor"].strip("（）() ")
    slots = []
    for index, item in enumerate(items):
        source = item["source"]
        if anchor in source or source in gold["anchor"]:
            for slot in ("value", "value_max"):
                if _same(item.get(slot), gold["value"]):
                    slots.append((index, slot))
    return slots


def _match(
    golds: list[int], gold_items: list[dict], items: list[dict], taken: dict
) -> dict[int, tuple]:
    """Maximum matching of gold items to (item, slot) by augmenting paths."""
    owner: dict[tuple, int] = dict(taken)
    options = {g: _candidates(gold_items[g], items) for g in golds}
    for g, slots in options.items():  # equally good matches: the one that owes the same first,
        key = gold_items[g]  # then the one of the same kind (one clause, several equal counts)
        slots.sort(
            key=lambda slot, key=key: (
                "owner" in key and not same_who(key, items[slot[0]]),
                "kind" in key and items[slot[0]].get("kind") != key["kind"],
            )
        )

    def augment(g: int, seen: set) -> bool:
        for slot in options[g]:
            if slot in seen or owner.get(slot) == -1:
                continue
            seen.add(slot)
            if slot not in owner or augment(owner[slot], seen):
                owner[slot] = g
                return True
        return False

    for g in golds:
        augment(g, set())
    return {g: slot for slot, g in owner.items() if g in golds}


def _posts_of_a_list(gold: list[dict], items: list[dict], matched: dict, taken: set) -> set:
    """A key that names a list of posts in one item ("校长、教导主任每学期听课不少于40节", who
    "校长、教导主任") is read right as one requirement per post: the other posts' items — same
    source, same value, a who the key's who contains — are correct, not spurious."""
    extra = set()
    for g, (index, _slot) in matched.items():
        key, first = gold[g], items[index]
        if "owner" not in key or not _phrase(key.get("who")):
            continue
        for i, item in enumerate(items):
            if i in taken or i == index:
                continue
            same = item["source"] == first["source"] and _same(item.get("value"), key["value"])
            if same and item.get("who") and same_who(key, item):
                extra.add(i)
    return extra


def score(gold: list[dict], extracted: dict) -> Score:
    """``extracted`` is ``Extraction.to_dict()``: its requirements and targets are pooled."""
    items = [*extracted["requirements"], *extracted["targets"]]
    required = [i for i, g in enumerate(gold) if not g.get("optional")]
    optional = [i for i, g in enumerate(gold) if g.get("optional")]
    matched = _match(required, gold, items, {})
    optional_matched = _match(optional, gold, items, {slot: -1 for slot in matched.values()})
    result = Score(required=len(required), found=len(matched))
    by_item_required = {slot[0] for slot in matched.values()}
    only_optional = {slot[0] for slot in optional_matched.values()} - by_item_required
    result.extracted = len(items) - len(only_optional)
    by_item_required |= _posts_of_a_list(gold, items, matched, by_item_required | only_optional)
    result.correct = len(by_item_required)
    for g, (index, _slot) in matched.items():
        item, key = items[index], gold[g]
        for name in ("period", "kind", "op"):
            if name in key:
                result.checks[name][1] += 1
                if item.get(name) == key[name]:
                    result.checks[name][0] += 1
                else:
                    result.wrong.append((name, key["anchor"], key[name], item.get(name)))
        if "owner" in key:
            result.checks["who"][1] += 1
            if same_who(key, item):
                result.checks["who"][0] += 1
            else:
                want = f"{key['owner']} {key.get('who') or ''}".strip()
                got = f"{item.get('owner') or ''} {item.get('who') or ''}".strip()
                result.wrong.append(("who", key["anchor"], want, got))
    result.missed = [gold[g]["anchor"] for g in required if g not in matched]
    result.spurious = [
        (items[i]["source"], items[i]["value"])
        for i in range(len(items))
        if i not in by_item_required and i not in only_optional
    ]
    return result
