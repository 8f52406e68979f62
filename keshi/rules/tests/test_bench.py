"""`keshi bench compliance` at a tiny size: the JSON contract and the scratch database.

Not a timing test: the figures live in docs/performance.md.
"""

import json
import os
import subprocess
import sys

import psycopg
import pytest

SMALL = ["--people", "50", "--activities", "2000", "--requirements", "16", "--runs", "1"]


def bench(tmp_path, *args) -> tuple[dict, str, int]:
    env = {**os.environ, "KESHI_DATA_DIR": str(tmp_path)}
    command = [sys.executable, "-m", "keshi", "bench", "compliance", *SMALL, "--format", "json"]
    with subprocess.Popen(
        [*command, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as child:
        out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    return json.loads(out), err, child.pid


def check(result: dict, database: str) -> None:
    assert list(result) == ["engine_s", "floor_s", "ratio", "database"]
    assert result["database"] == database
    assert result["engine_s"] > 0 and result["floor_s"] > 0
    assert result["ratio"] == pytest.approx(result["engine_s"] / result["floor_s"], rel=1e-12)


def test_sqlite_bench_prints_the_json_and_leaves_the_project_database_alone(tmp_path):
    result, progress, _ = bench(tmp_path, "--database", "sqlite")
    check(result, "sqlite")
    assert "引擎（全部周期）" in progress and "学校规模" in progress
    assert not (tmp_path / "keshi.sqlite3").exists()  # only a scratch file was used


@pytest.mark.skipif(
    not os.environ.get("KESHI_DATABASE_URL", "").startswith("postgres"),
    reason="needs the PostgreSQL server of KESHI_DATABASE_URL",
)
def test_postgresql_bench_drops_its_scratch_database(tmp_path):
    result, _, pid = bench(tmp_path, "--database", "postgresql", "--mode", "current")
    check(result, "postgresql")
    server = os.environ["KESHI_DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(server) as conn:
        left = conn.execute(
            "SELECT datname FROM pg_database WHERE datname = %s", [f"keshi_bench_{pid}"]
        ).fetchall()
    assert left == []


def test_text_output_names_every_figure(tmp_path):
    env = {**os.environ, "KESHI_DATA_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "keshi", "bench", "compliance", *SMALL],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "比值" in done.stdout and "school_current_ms" in done.stdout
