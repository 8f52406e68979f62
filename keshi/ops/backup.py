"""``keshi backup`` / ``keshi restore``: the database and the uploaded files in one archive.

An archive is a .tar.gz holding ``manifest.json`` (format version, database vendor, applied
migrations, row count per table, creation time), the database (``db.sqlite3`` — a copy made
with SQLite's online backup API, consistent while the server keeps writing — or ``db.dump``,
``pg_dump -Fc``) and ``media/``. For PostgreSQL the row counts are taken inside the very
snapshot that pg_dump dumps (``pg_export_snapshot``), so they describe the dump exactly.
Restore checks the manifest first and, after restoring, that every table has its row count.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from keshi.rules import standing

FORMAT_VERSION = 1
MANIFEST = "manifest.json"


class BackupError(Exception):
    """A Chinese message for the operator; nothing was changed."""


@dataclass
class Manifest:
    vendor: str
    migrations: dict[str, list[str]]
    row_counts: dict[str, int]
    created_at: str = field(default_factory=lambda: timezone.now().isoformat())
    version: int = FORMAT_VERSION
    media_files: int = 0
    keshi_version: str = ""

    def as_json(self) -> str:
        return json.dumps(self.__dict__, ensure_ascii=False, indent=2, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Manifest:
        data = json.loads(text)
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


def default_output() -> Path:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return settings.DATA_DIR / "backups" / f"keshi-{stamp}.tar.gz"


# ---- what is in the database ----------------------------------------------------------------


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def row_counts(cursor, tables: list[str]) -> dict[str, int]:
    quote = connection.ops.quote_name
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")
        counts[table] = cursor.fetchone()[0]
    return counts


def _keshi_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("keshi")
    except PackageNotFoundError:
        return ""


# ---- backup ---------------------------------------------------------------------------------


def create_backup(output: Path) -> Manifest:
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="keshi-backup-", dir=output.parent) as tmp:
        work = Path(tmp)
        if connection.vendor == "sqlite":
            db_file, counts = _sqlite_backup(work / "db.sqlite3")
        elif connection.vendor == "postgresql":
            db_file, counts = _pg_backup(work / "db.dump")
        else:
            raise BackupError(f"不支持备份 {connection.vendor} 数据库")
        manifest = Manifest(
            vendor=connection.vendor,
            migrations=applied_migrations(),
            row_counts=counts,
            media_files=_count_files(Path(settings.MEDIA_ROOT)),
            keshi_version=_keshi_version(),
        )
        partial = output.with_name(output.name + ".part")
        with tarfile.open(partial, "w:gz") as tar:
            _add_bytes(tar, MANIFEST, manifest.as_json().encode())
            tar.add(db_file, arcname=db_file.name)
            media = Path(settings.MEDIA_ROOT)
            if media.is_dir():
                tar.add(media, arcname="media")
        os.replace(partial, output)  # a half-written archive never carries the final name
    return manifest


def _sqlite_backup(target: Path) -> tuple[Path, dict[str, int]]:
    source = sqlite3.connect(connection.settings_dict["NAME"])
    copy = sqlite3.connect(target)
    try:
        source.execute("PRAGMA busy_timeout = 5000")
        source.backup(copy)  # page by page; restarts if a writer changes a copied page
        copy.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
        tables = [
            r[0]
            for r in copy.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        counts = row_counts(copy.cursor(), tables)
        (ok,) = copy.execute("PRAGMA integrity_check").fetchone()
        if ok != "ok":
            raise BackupError(f"备份副本完整性检查未通过：{ok}")
    finally:
        copy.close()
        source.close()
    return target, counts


def pg_env() -> dict[str, str]:
    """libpq environment for pg_dump / pg_restore: no password on the command line."""
    s = connection.settings_dict
    env = dict(os.environ)
    for key, value in {
        "PGHOST": s.get("HOST"),
        "PGPORT": str(s.get("PORT") or ""),
        "PGUSER": s.get("USER"),
        "PGPASSWORD": s.get("PASSWORD"),
        "PGDATABASE": s["NAME"],
    }.items():
        if value:
            env[key] = value
    return env


def _run(args: list[str], what: str) -> None:
    try:
        done = subprocess.run(args, env=pg_env(), capture_output=True, text=True, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            f"找不到 {args[0]}：请安装 PostgreSQL 客户端（postgresql-client）"
        ) from exc
    if done.returncode != 0:
        raise BackupError(
            f"{what}失败（{args[0]} 退出码 {done.returncode}）：{done.stderr.strip()}"
        )


def _pg_backup(target: Path) -> tuple[Path, dict[str, int]]:
    import psycopg

    s = connection.settings_dict
    params = {
        "dbname": s["NAME"],
        "host": s.get("HOST") or None,
        "port": s.get("PORT") or None,
        "user": s.get("USER") or None,
        "password": s.get("PASSWORD") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as snap:
        snap.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = snap.execute("SELECT pg_export_snapshot()").fetchone()[0]
        tables = [
            r[0]
            for r in snap.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        ]
        counts = row_counts(snap.cursor(), tables)
        # The snapshot stays valid while this transaction is open.
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--snapshot={snapshot}",
                "--file",
                str(target),
            ],
            "pg_dump 备份",
        )
        snap.execute("ROLLBACK")
    return target, counts


def _count_files(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.is_dir() else 0


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    import io

    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(datetime.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


# ---- restore --------------------------------------------------------------------------------


def read_manifest(path: Path) -> Manifest:
    try:
        with tarfile.open(path, "r:gz") as tar:
            member = tar.extractfile(MANIFEST)
            if member is None:
                raise KeyError(MANIFEST)
            return Manifest.from_json(member.read().decode())
    except FileNotFoundError as exc:
        raise BackupError(f"找不到备份文件：{path}") from exc
    except (tarfile.TarError, KeyError, ValueError, TypeError, OSError) as exc:
        raise BackupError(f"不是有效的 keshi 备份文件（{path}）：{exc}") from exc


def check_restorable(manifest: Manifest) -> None:
    """Refuse an archive of the other vendor, another format, or newer migrations than the code."""
    if manifest.version != FORMAT_VERSION:
        raise BackupError(
            f"备份格式版本 {manifest.version} 与本程序（{FORMAT_VERSION}）不符，不能恢复"
        )
    if manifest.vendor != connection.vendor:
        raise BackupError(
            f"这是 {_VENDOR_NAMES.get(manifest.vendor, manifest.vendor)} 数据库的备份，"
            f"当前数据库是 {_VENDOR_NAMES.get(connection.vendor, connection.vendor)}，不能恢复"
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    newer = sorted(
        f"{app}.{name}"
        for app, names in manifest.migrations.items()
        for name in names
        if (app, name) not in known
    )
    if newer:
        shown = "、".join(newer[:5]) + ("……" if len(newer) > 5 else "")
        raise BackupError(
            f"备份来自更新版本的 keshi（含本程序没有的迁移：{shown}），请先升级程序再恢复"
        )


_VENDOR_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def restore_backup(path: Path) -> Manifest:
    manifest = read_manifest(path)
    check_restorable(manifest)
    media_root = Path(settings.MEDIA_ROOT)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="keshi-restore-", dir=media_root.parent) as tmp:
        work = Path(tmp)
        with tarfile.open(path, "r:gz") as tar:
            tar.extractall(work, filter="data")  # no absolute paths, no escaping links
        for conn in connections.all():
            conn.close()
        if manifest.vendor == "sqlite":
            _sqlite_restore(work / "db.sqlite3")
        else:
            _run(
                [
                    "pg_restore",
                    "--clean",
                    "--if-exists",
                    "--no-owner",
                    "--single-transaction",
                    "--exit-on-error",
                    "--dbname",
                    connection.settings_dict["NAME"],
                    str(work / "db.dump"),
                ],
                "pg_restore 恢复",
            )
        _swap_media(work / "media", media_root)
    verify_counts(manifest)
    standing.forget_all()  # cached compliance results describe the data just replaced
    return manifest


def _sqlite_restore(source_file: Path) -> None:
    """Copy the backup into the live file with the backup API: one write transaction, so a
    reader sees the old database or the new one, and the WAL stays consistent."""
    source = sqlite3.connect(source_file)
    live = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        live.execute("PRAGMA busy_timeout = 10000")
        source.backup(live)
        live.execute("PRAGMA journal_mode = WAL")
    finally:
        live.close()
        source.close()


def _swap_media(new: Path, media_root: Path) -> None:
    if not new.is_dir():
        new.mkdir()
    old = media_root.with_name(media_root.name + ".before-restore")
    if old.exists():
        shutil.rmtree(old)
    if media_root.exists():
        media_root.rename(old)
    new.rename(media_root)
    if old.exists():
        shutil.rmtree(old)


def verify_counts(manifest: Manifest) -> None:
    with connection.cursor() as cursor:
        present = set(connection.introspection.table_names(cursor))
        counts = row_counts(cursor, [t for t in manifest.row_counts if t in present])
    wrong = [
        f"{table}（应为 {expected}，实为 {counts.get(table, '缺表')}）"
        for table, expected in manifest.row_counts.items()
        if counts.get(table) != expected
    ]
    if wrong:
        raise BackupError("恢复后行数与备份不符：" + "；".join(wrong[:10]))
