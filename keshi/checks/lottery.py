"""Verifiable lottery (抽签) by commit–reveal, without Django. docs/checks.md holds a standalone
copy of the algorithm so anyone can recompute a draw with a few lines of Python.

1. ``seed``: 32 random bytes as 64 lowercase hex characters (``secrets.token_hex(32)``).
2. ``commitment = SHA-256(seed as ASCII)``, hex — published with the population and k before
   the draw (``echo -n SEED | sha256sum`` reproduces it).
3. The population is an ordered list of distinct strings; its canonical form is
   ``json.dumps(items, ensure_ascii=False, separators=(",", ":"))`` encoded as UTF-8.
4. The selection is a partial Fisher–Yates shuffle: for i = 0..k-1 pick j uniformly in [i, n)
   and swap items i and j; the first k items, in that order, are the result. Each uniform number
   comes from ``HMAC-SHA256(key=seed ASCII, msg=canonical + b"\\x00" + str(counter) ASCII)`` read
   as a big-endian integer, rejected and retried with the next counter when it falls in the
   incomplete last block (so the choice is exactly uniform); the counter starts at 0 and only
   ever increases.

Nothing here depends on Python's ``random`` module, whose algorithms may change between versions.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

SEED_RE = re.compile(r"[0-9a-f]{64}")
SPACE = 1 << 256


class LotteryError(ValueError):
    """A message meant for the user (Chinese)."""


def new_seed() -> str:
    return secrets.token_hex(32)


def commitment(seed: str) -> str:
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def canonical(population: Sequence[str]) -> bytes:
    return json.dumps(list(population), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def clean_population(items: Sequence[str]) -> list[str]:
    """Trimmed, non-empty, distinct items in the given order."""
    cleaned: list[str] = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if text in cleaned:
            raise LotteryError(f"“{text}”重复出现，抽签范围中的每一项必须不同")
        cleaned.append(text)
    return cleaned


def check(population: Sequence[str], k: int) -> None:
    if len(population) < 2:
        raise LotteryError("抽签范围至少要有两项")
    if not 1 <= k <= len(population):
        raise LotteryError(f"抽取数量应在 1 到 {len(population)} 之间")


def draw(seed: str, population: Sequence[str], k: int) -> list[str]:
    if not SEED_RE.fullmatch(seed):
        raise LotteryError("种子应为 64 位小写十六进制字符")
    check(population, k)
    key = seed.encode("ascii")
    message = canonical(population) + b"\x00"
    items = list(population)
    counter = 0
    for i in range(k):
        bound = len(items) - i
        limit = SPACE - SPACE % bound
        while True:
            digest = hmac.new(key, message + str(counter).encode("ascii"), hashlib.sha256)
            counter += 1
            value = int.from_bytes(digest.digest(), "big")
            if value < limit:
                break
        j = i + value % bound
        items[i], items[j] = items[j], items[i]
    return items[:k]


@dataclass(frozen=True)
class Verification:
    commitment_ok: bool
    result_ok: bool | None  # None before the seed is revealed
    recomputed: list[str] | None

    @property
    def ok(self) -> bool:
        return self.commitment_ok and self.result_ok is True


def verify(
    *, commitment_hex: str, population: Sequence[str], k: int, seed: str, result: Sequence[str]
) -> Verification:
    """Does the revealed ``seed`` match the published commitment, and does it give ``result``?"""
    if not seed:
        return Verification(commitment_ok=False, result_ok=None, recomputed=None)
    commitment_ok = hmac.compare_digest(commitment(seed), commitment_hex)
    try:
        recomputed = draw(seed, population, k)
    except LotteryError:
        return Verification(commitment_ok=commitment_ok, result_ok=False, recomputed=None)
    return Verification(
        commitment_ok=commitment_ok, result_ok=recomputed == list(result), recomputed=recomputed
    )
