"""`keshi bench originality`: index time, check latency and LSH recall/precision.

Runs inside the scratch database the bench command provides (never the project's). Texts are
synthetic Chinese (800–2,000 characters) from a seeded RNG: "families" of an original and its
planted near-copies (words substituted, sentences moved, template filler added). See
docs/performance.md (查重 / Originality) for what is stored and how recall is measured.
"""

from __future__ import annotations

import os
import random
import resource
import statistics
import time

import numpy as np
from django.db import connection, transaction

from keshi.org.models import Org
from keshi.originality import batch, services
from keshi.originality import fingerprint as fp
from keshi.originality.models import DEFAULT_THRESHOLD, Band, Document
from keshi.originality.normalize import normalize
from keshi.originality.search import candidates, compare

JSON_KEYS = ("index_s", "check_p50_ms", "check_p95_ms", "stored", "recall", "precision")
COMMON = (
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而"
    "方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好"
    "应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向"
    "道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特"
    "件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队"
    "南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风"
    "切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许"
    "步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列"
    "习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派"
    "层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严课堂教师学生备课听评反思论文阅读研修校本课题"
)
FILLER = ["20xx年", "××学校", "某某老师", "【学校名称】", "XX年级"]
PUNCT = "，，，、；。。！？"


def add_arguments(parser) -> None:
    parser.add_argument("--docs", type=int, default=100_000, help="生成并索引的文本数")
    parser.add_argument("--pad-to", type=int, default=None, help="补到的存储量（默认 docs×10）")
    parser.add_argument("--queries", type=int, default=200, help="计时与召回的查询数")
    parser.add_argument("--seed", type=int, default=20260901)
    parser.add_argument("--workers", type=int, default=2)


def _vocabulary(rng: random.Random) -> list[str]:
    words = set()
    while len(words) < 8000:
        words.add("".join(rng.choices(COMMON, k=rng.choice((1, 2, 2, 2, 3, 3, 4)))))
    return sorted(words)


def _original(rng: random.Random, vocab: list[str]) -> list[str]:
    target, sentences, size = rng.randint(800, 2000), [], 0
    while size < target:
        s = "".join(rng.choices(vocab, k=rng.randint(6, 18))) + rng.choice(PUNCT)
        sentences.append(s)
        size += len(s)
    return sentences


def _near_copy(rng: random.Random, sentences: list[str], vocab: list[str]) -> list[str]:
    """Light edits of random strength: from almost identical to barely related."""
    strength = rng.uniform(0.0, 0.25)
    out = []
    for s in sentences:
        chars = list(s)
        for _ in range(int(len(chars) * strength * 0.5)):
            i = rng.randrange(len(chars))
            chars[i] = rng.choice(vocab)
        out.append("".join(chars))
    for _ in range(int(len(out) * strength)):
        i, j = rng.randrange(len(out)), rng.randrange(len(out))
        out[i], out[j] = out[j], out[i]
    for _ in range(rng.randint(0, 3)):
        out.insert(rng.randrange(len(out) + 1), rng.choice(FILLER))
    return out


def corpus(docs: int, seed: int) -> tuple[list[str], list[int]]:
    """``docs`` texts and each one's family (the index of its original)."""
    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    texts: list[str] = []
    families: list[int] = []
    originals: dict[int, list[str]] = {}
    recent: list[int] = []
    for i in range(docs):
        if recent and rng.random() < 0.3:
            family = rng.choice(recent)
            texts.append("".join(_near_copy(rng, originals[family], vocab)))
            families.append(family)
        else:
            originals[i] = _original(rng, vocab)
            recent = (recent + [i])[-5000:]
            texts.append("".join(originals[i]))
            families.append(i)
    return texts, families


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def _pad(org_id: int, count: int, seed: int) -> None:
    """Stub documents (no text) with random band keys: the index grows, the candidates for a
    real text do not (random keys collide with a real key with probability ~count/2^63)."""
    rng = np.random.default_rng(seed)
    doc_table, band_table = Document._meta.db_table, Band._meta.db_table
    step = 50_000
    for done in range(0, count, step):
        n = min(step, count - done)
        with transaction.atomic(), connection.cursor() as cursor:
            first = _next_id(cursor, doc_table)
            cursor.executemany(
                f"INSERT INTO {doc_table} (id, source, org_id, text, length, created_at) "
                "VALUES (%s, 'corpus', %s, '', 0, CURRENT_TIMESTAMP)",
                [(first + i, org_id) for i in range(n)],
            )
            rows = np.empty((n * fp.BANDS, 3), dtype=np.int64)
            rows[:, 0] = np.repeat(np.arange(first, first + n, dtype=np.int64), fp.BANDS)
            rows[:, 1] = np.tile(np.arange(fp.BANDS, dtype=np.int64), n)
            rows[:, 2] = rng.integers(0, 2**63 - 1, size=n * fp.BANDS, dtype=np.int64)
            cursor.executemany(
                f"INSERT INTO {band_table} (document_id, part, band, key) VALUES (%s, 0, %s, %s)",
                rows.tolist(),
            )


def _cpu() -> float:
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _index(texts: list[str], org: Org, workers: int) -> float:
    """Seconds for indexing ``texts`` exactly as ``keshi originality index-corpus`` does
    (``services.add_corpus_texts``): normalise, fingerprint, store texts and band rows."""
    started = time.perf_counter()
    items = [(f"bench/{i:07d}.txt", text) for i, text in enumerate(texts)]
    done, skipped = services.add_corpus_texts(org=org, items=items, workers=workers)
    assert done == len(texts) and not skipped, skipped
    return time.perf_counter() - started


def _floor(texts: list[str]) -> float:
    """Seconds for the least any index must do, measured on the same database in the same run:
    store the texts themselves, one executemany into a bare table in one transaction."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_floor (id integer PRIMARY KEY, text text NOT NULL)")
    try:
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO bench_floor (id, text) VALUES (%s, %s)", list(enumerate(texts))
            )
        return time.perf_counter() - started
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_floor")


def _latency(queries: list[str]) -> tuple[float, float, float]:
    """p50 and p95 wall milliseconds, and mean CPU milliseconds, of one check."""
    timings = []
    cpu = time.process_time()
    for text in queries:
        started = time.perf_counter()
        compare(text, org=None)
        timings.append((time.perf_counter() - started) * 1000)
    cpu_ms = (time.process_time() - cpu) * 1000 / max(1, len(queries))
    timings.sort()
    p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
    return statistics.median(timings), p95, cpu_ms


def _quality(texts, families, ids, picks, threshold) -> dict:
    """LSH candidates against exact Jaccard, for stored documents used as queries.

    Truth: every document of the query's family with exact Jaccard >= threshold (planted
    copies); other families are checked on a random sample to be far below the threshold."""
    members: dict[int, list[int]] = {}
    for i, f in enumerate(families):
        members.setdefault(f, []).append(i)
    index_of = {doc_id: i for i, doc_id in enumerate(ids)}
    shingles = {}

    def sh(i: int) -> np.ndarray:
        if i not in shingles:
            shingles[i] = fp.shingles(normalize(texts[i]))
        return shingles[i]

    true_pairs = found_true = candidates_total = candidates_true = 0
    for q in picks:
        _n, prints = batch.prints(texts[q])
        found = {index_of[d] for d, _p in candidates(prints) if d in index_of} - {q}
        truth = {
            m for m in members[families[q]] if m != q and fp.jaccard(sh(q), sh(m)) >= threshold
        }
        true_pairs += len(truth)
        found_true += len(truth & found)
        candidates_total += len(found)
        candidates_true += sum(1 for c in found if fp.jaccard(sh(q), sh(c)) >= threshold)
    rng = random.Random(7)
    background = [
        fp.jaccard(sh(a), sh(b))
        for a, b in ((rng.randrange(len(texts)), rng.randrange(len(texts))) for _ in range(3000))
        if families[a] != families[b]
    ]
    return {
        "recall": found_true / true_pairs if true_pairs else 1.0,
        "precision": candidates_true / candidates_total if candidates_total else 1.0,
        "true_pairs": true_pairs,
        "candidates": candidates_total,
        "background_max_jaccard": max(background, default=0.0),
    }


def run(options: dict, say) -> dict:
    docs, seed = options["docs"], options["seed"]
    pad_to = options["pad_to"] or docs * 10
    threshold = DEFAULT_THRESHOLD
    say(f"生成 {docs} 篇文本…")
    texts, families = corpus(docs, seed)
    org = Org.objects.create(code="bench", name="基准")
    floor_s = _floor(texts)
    say(f"基线（仅存入 {docs} 篇原文）：{floor_s:.1f} 秒")
    say("建索引…")
    cpu = _cpu()
    index_s = _index(texts, org, options["workers"])
    index_cpu_s = _cpu() - cpu
    ids = list(Document.objects.order_by("pk").values_list("pk", flat=True))
    say(f"索引 {docs} 篇：{index_s:.1f} 秒")
    rng = random.Random(seed + 1)
    vocab = _vocabulary(random.Random(seed))
    copied = [i for i, f in enumerate(families) if i != f]
    picks = rng.sample(copied, min(options["queries"], len(copied)))
    fresh = [
        "".join(_near_copy(rng, _split(texts[families[p]]), vocab))
        for p in picks[: len(picks) // 2]
    ] + ["".join(_original(rng, vocab)) for _ in range(len(picks) - len(picks) // 2)]
    quality = _quality(texts, families, ids, picks, threshold)
    small = _latency(fresh)
    say(f"{docs} 篇时检查 p50 {small[0]:.1f} ms，p95 {small[1]:.1f} ms")
    started = time.perf_counter()
    if pad_to > docs:
        say(f"补足到 {pad_to} 篇（仅 LSH 行）…")
        _pad(org.pk, pad_to - docs, seed)
    pad_s = time.perf_counter() - started
    large = _latency(fresh)
    say(f"{pad_to} 篇时检查 p50 {large[0]:.1f} ms，p95 {large[1]:.1f} ms")
    result = {
        "index_s": round(index_s, 3),
        "check_p50_ms": round(large[0], 2),
        "check_p95_ms": round(large[1], 2),
        "stored": max(pad_to, docs),
        "recall": round(quality["recall"], 4),
        "precision": round(quality["precision"], 4),
    }
    details = {
        **result,
        "full_texts": docs,
        "lsh_only_stubs": max(0, pad_to - docs),
        "check_p50_ms_full": round(small[0], 2),
        "check_p95_ms_full": round(small[1], 2),
        "pad_s": round(pad_s, 1),
        "index_cpu_s": round(index_cpu_s, 1),
        "check_cpu_ms_full": round(small[2], 2),
        "check_cpu_ms": round(large[2], 2),
        "load_average": round(os.getloadavg()[0], 1),
        "bands_x_rows": f"{fp.BANDS}x{fp.ROWS}",
        "shingle": fp.SHINGLE,
        "threshold": threshold,
        **{k: quality[k] for k in ("true_pairs", "candidates", "background_max_jaccard")},
    }
    # The bench command's own keys: the engine is the whole indexer, the floor storing the
    # texts alone (measured above, same run, same database).
    return {
        **result,
        "engine_s": index_s,
        "floor_s": floor_s,
        "ratio": index_s / floor_s if floor_s else 1.0,
        "database": connection.vendor,
        "details": details,
    }


def _split(text: str) -> list[str]:
    out, current = [], []
    for ch in text:
        current.append(ch)
        if ch in "。！？":
            out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out
