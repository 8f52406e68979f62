"""keshi backup / keshi restore: a round trip over the demo district restores every table
(row count and a content hash per table, over all tables the database has) and every uploaded
file. Runs on whichever database the suite runs on (CI runs SQLite and PostgreSQL)."""

import hashlib
import json
import subprocess
import tarfile
import time
from io import BytesIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from keshi.ops.backup import MANIFEST, Manifest, read_manifest
from keshi.org.models import Person, Tag
from keshi.records.models import Activity
from keshi.tests.processes import child_env, keshi

pytestmark = pytest.mark.slow


def table_digests() -> dict[str, tuple[int, str]]:
    """Every table of the database: (row count, sha256 over its rows in a total order)."""
    result = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            columns = len(connection.introspection.get_table_description(cursor, table))
            order = ", ".join(str(i) for i in range(1, columns + 1))
            cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {order}")
            digest = hashlib.sha256()
            count = 0
            for row in cursor.fetchall():
                digest.update(repr(row).encode())
                count += 1
            result[table] = (count, digest.hexdigest())
    return result


def media_digests(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def media(settings, tmp_path) -> Path:
    root = tmp_path / "data" / "media"
    (root / "attachments" / "1").mkdir(parents=True)
    (root / "attachments" / "1" / "教案.pdf").write_bytes(b"%PDF-1.4 demo\n" * 100)
    (root / "sessions" / "纪要.docx").parent.mkdir(parents=True)
    (root / "sessions" / "纪要.docx").write_bytes(b"PK\x03\x04 minutes")
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def demo(transactional_db, media):
    call_command("demo-data", verbosity=0)


def _mutate(media: Path) -> None:
    """Deletes, updates and inserts across several tables, and changes the files."""
    Activity.objects.filter(pk__in=Activity.objects.order_by("pk").values("pk")[:50]).delete()
    person = Person.objects.order_by("pk").first()
    person.name = "改过的名字"
    person.save()
    Tag.objects.create(name="备份后新建")
    (media / "attachments" / "1" / "教案.pdf").write_bytes(b"changed")
    (media / "sessions" / "纪要.docx").unlink()
    (media / "new.txt").write_text("after the backup")


def test_round_trip_restores_every_table_and_every_file(demo, media, tmp_path, capsys):
    before = table_digests()
    files_before = media_digests(media)
    assert before["records_activity"][0] > 1000  # the demo district, not an empty database
    archive = tmp_path / "backup.tar.gz"

    call_command("backup", output=str(archive))

    manifest = read_manifest(archive)
    assert manifest.vendor == connection.vendor
    assert manifest.migrations["records"]  # applied migrations recorded per app
    assert manifest.media_files == len(files_before)  # the two above and the demo's own
    assert {t: c for t, (c, _) in before.items()} == manifest.row_counts
    _mutate(media)
    changed = table_digests()
    assert changed != before
    assert changed["records_activity"][0] == before["records_activity"][0] - 50

    call_command("restore", str(archive), yes=True)

    after = table_digests()
    assert [t for t in before if before[t] != after.get(t)] == []
    assert after == before
    assert media_digests(media) == files_before
    # Sequences came back too: new rows do not collide with restored ones.
    Tag.objects.create(name="恢复后新建")
    assert "恢复完成" in capsys.readouterr().out


def _rewrite_manifest(archive: Path, target: Path, **changes) -> Path:
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member) if member.isfile() else None
            if member.name == MANIFEST:
                manifest = json.loads(data.read())
                manifest.update(changes)
                body = json.dumps(manifest).encode()
                member.size = len(body)
                data = BytesIO(body)
            dst.addfile(member, data)
    return target


@pytest.fixture
def small_archive(transactional_db, media, tmp_path) -> Path:
    Tag.objects.create(name="骨干教师")
    archive = tmp_path / "small.tar.gz"
    call_command("backup", output=str(archive))
    return archive


def test_restore_refuses_an_archive_of_the_other_vendor(small_archive, tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    bad = _rewrite_manifest(small_archive, tmp_path / "other.tar.gz", vendor=other)
    Tag.objects.create(name="不应被覆盖")
    with pytest.raises(CommandError, match="数据库的备份，当前数据库是"):
        call_command("restore", str(bad), yes=True)
    assert Tag.objects.filter(name="不应被覆盖").exists()


def test_restore_refuses_a_newer_migration_state(small_archive, tmp_path):
    manifest = read_manifest(small_archive)
    newer = {**manifest.migrations, "records": [*manifest.migrations["records"], "9999_future"]}
    bad = _rewrite_manifest(small_archive, tmp_path / "newer.tar.gz", migrations=newer)
    with pytest.raises(CommandError, match=r"更新版本.*records\.9999_future.*请先升级"):
        call_command("restore", str(bad), yes=True)


def test_restore_asks_and_does_nothing_without_yes(small_archive, monkeypatch):
    Tag.objects.create(name="保留")
    monkeypatch.setattr("builtins.input", lambda prompt: "no")
    with pytest.raises(CommandError, match="未确认"):
        call_command("restore", str(small_archive))
    assert Tag.objects.filter(name="保留").exists()
    monkeypatch.setattr("builtins.input", lambda prompt: "yes")
    call_command("restore", str(small_archive))
    assert not Tag.objects.filter(name="保留").exists()
    assert Tag.objects.filter(name="骨干教师").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(transactional_db, tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar file")
    with pytest.raises(CommandError, match="不是有效的 keshi 备份文件"):
        call_command("restore", str(junk), yes=True)
    with pytest.raises(CommandError, match="找不到备份文件"):
        call_command("restore", str(tmp_path / "missing.tar.gz"), yes=True)


def test_manifest_round_trips_through_json():
    m = Manifest(vendor="sqlite", migrations={"org": ["0001_initial"]}, row_counts={"t": 3})
    assert Manifest.from_json(m.as_json()) == m


WRITER = """
import time
from pathlib import Path
from django.db import transaction
from keshi.org.models import Tag
progress = Path({progress!r})
for i in range(100000):
    with transaction.atomic():  # a pair of rows per transaction: a backup holds both or neither
        Tag.objects.create(name=f"a{{i}}")
        Tag.objects.create(name=f"b{{i}}")
    if i == 20:
        progress.write_text("running")
"""


def test_backup_while_another_process_writes_is_a_consistent_snapshot(
    transactional_db, media, tmp_path
):
    progress = tmp_path / "progress"
    writer = subprocess.Popen(
        keshi("shell", "-c", WRITER.format(progress=str(progress))),
        env=child_env(tmp_path / "writer"),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 180
        while not progress.exists():
            assert writer.poll() is None, writer.communicate()[1]
            assert time.monotonic() < deadline, "the writer never got going"
            time.sleep(0.1)
        archive = tmp_path / "online.tar.gz"
        call_command("backup", output=str(archive))
        assert writer.poll() is None  # still writing after the backup finished
    finally:
        writer.kill()
        writer.wait()
    manifest = read_manifest(archive)
    in_backup = manifest.row_counts["org_tag"]
    assert in_backup >= 42 and in_backup % 2 == 0
    assert Tag.objects.count() > in_backup  # the writer went on after the snapshot

    call_command("restore", str(archive), yes=True)

    names = set(Tag.objects.values_list("name", flat=True))
    assert len(names) == in_backup
    assert {n[1:] for n in names if n[0] == "a"} == {n[1:] for n in names if n[0] == "b"}
