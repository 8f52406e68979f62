"""`keshi bench originality` at a tiny size: its figures and the scratch database. No timing
assertions: the figures live in docs/performance.md."""

import json
import os
import subprocess
import sys

from keshi.originality import bench
from keshi.originality.normalize import normalize


def test_corpus_is_deterministic_and_plants_near_copies():
    texts, families = bench.corpus(200, seed=3)
    assert (texts, families) == bench.corpus(200, seed=3)
    assert all(800 <= len(texts[i]) <= 2100 for i, f in enumerate(families) if i == f)
    assert 30 < sum(1 for i, f in enumerate(families) if i != f) < 100
    assert len(normalize(texts[0])) > 700


def test_run_reports_every_figure_in_a_scratch_database(tmp_path, django_db_blocker):
    from keshi.rules.management.commands.bench import scratch_database

    options = {"docs": 300, "pad_to": 600, "queries": 20, "seed": 1, "workers": 2}
    with django_db_blocker.unblock(), scratch_database("sqlite", lambda *a, **k: None) as db:
        assert db["NAME"].endswith("bench.sqlite3")
        result = bench.run(options, lambda *a, **k: None)
    assert set(bench.JSON_KEYS) <= set(result)
    assert result["stored"] == 600 and result["details"]["lsh_only_stubs"] == 300
    assert result["index_s"] > 0 and result["check_p95_ms"] >= result["check_p50_ms"] > 0
    assert 0.9 <= result["recall"] <= 1 and 0 < result["precision"] <= 1
    assert result["details"]["true_pairs"] > 0


def test_command_runs_the_subject(tmp_path):
    env = {**os.environ, "KESHI_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "keshi", "bench", "originality", "--docs", "200", "--queries", "10"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    assert "full_texts: 200" in done.stdout and "lsh_only_stubs: 1800" in done.stdout
    assert not (tmp_path / "keshi.sqlite3").exists()


def test_command_prints_the_originality_json(tmp_path):
    env = {**os.environ, "KESHI_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "keshi", "bench", "originality", "--docs", "200", "--queries", "10",
         "--format", "json"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert list(json.loads(done.stdout)) == list(bench.JSON_KEYS)
