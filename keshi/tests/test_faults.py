"""kill -9 in the middle of a write: nothing half-written, the database intact, the work resumes.

Each test starts a real keshi process (an import command, gunicorn serving the record form, the
task worker) on the test database, makes it pause right after its n-th INSERT into a table
(``KESHI_FAULT_PAUSE``, see keshi/ops/faults.py), SIGKILLs it there, checks the database, then
runs the same work again to completion. Runs on SQLite and PostgreSQL (whichever the suite uses).
"""

from __future__ import annotations

import io
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook

from keshi.notify.models import Digest, Notification
from keshi.org.models import Person
from keshi.records.models import Activity, Attachment
from keshi.tests.processes import child_env, free_port, keshi, wait_for_port

# Every test asks for ``transactional_db`` by name (committed rows a subprocess can see); by
# name, so that keshi/conftest.py puts back the built-in activity kinds a flush removed.
pytestmark = pytest.mark.slow


@pytest.fixture
def keshi_env(tmp_path) -> dict[str, str]:
    return child_env(
        tmp_path / "data",
        KESHI_FAULT_MARKER=str(tmp_path / "paused.json"),
        PYTHONUNBUFFERED="1",
    )


def wait_for(path: Path, proc: subprocess.Popen, timeout: float = 300, request=None) -> dict:
    """The pause marker; fails if the process (or the HTTP ``request``) ends first."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return json.loads(path.read_text())
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"process ended ({proc.returncode}) before the pause:\n{out}\n{err}")
        if request is not None and request.done():
            response = request.result()
            (path.parent / "response.html").write_text(response.text)
            errors = re.findall(
                r"(?:invalid-feedback|alert-danger|errorlist)[^>]*>(.*?)<", response.text
            )
            pytest.fail(f"the request ended before the pause: {response.status_code} "
                        f"{response.headers.get('Location', '')} {errors}")  # fmt: skip
        time.sleep(0.1)
    proc.kill()
    pytest.fail("the process never reached the pause")


def kill_at_pause(args: list[str], env: dict, table: str, after: int) -> dict:
    """Run until the pause after the ``after``-th INSERT into ``table``, then SIGKILL."""
    env = {**env, "KESHI_FAULT_PAUSE": f"{table}:{after}"}
    proc = subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    state = wait_for(Path(env["KESHI_FAULT_MARKER"]), proc)
    os.kill(state["pid"], signal.SIGKILL)
    if state["pid"] == proc.pid:
        proc.wait(timeout=30)
        assert proc.returncode == -signal.SIGKILL
    else:
        proc.terminate()  # the paused one was a child (a gunicorn worker) — stop the rest
        proc.wait(timeout=30)
    return state


def assert_database_intact() -> None:
    connection.close()  # reconnect: SQLite recovers the WAL of the killed writer here
    if connection.vendor == "sqlite":
        check = sqlite3.connect(connection.settings_dict["NAME"])
        try:
            assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert check.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            check.close()
    else:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")


def workbook(header: list[str], rows: list[list]) -> bytes:
    wb = Workbook()
    sheet = wb.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---- imports --------------------------------------------------------------------------------


def test_kill_during_import_records_leaves_nothing_and_the_rerun_imports_all(
    transactional_db, cast, keshi_env, tmp_path
):
    teacher = cast.teacher.person
    teacher.staff_no = "T001"
    teacher.save()
    rows = [
        ["T001", "张老师", "reflection", f"2026-09-{day:02d}", 1, f"第{day}篇反思", "反思正文" * 50]
        for day in range(1, 31)
    ]
    path = tmp_path / "records.xlsx"
    path.write_bytes(workbook(["工号", "姓名", "类型", "日期", "数量", "标题", "正文"], rows))
    HistoricalActivity = Activity.history.model
    args = keshi("import-records", str(path), "--org", "demo")

    state = kill_at_pause(args, keshi_env, "records_activity", after=15)

    assert state["in_transaction"] is True  # killed mid-transaction, 15 of 30 rows inserted
    assert_database_intact()
    assert Activity.objects.count() == 0
    assert HistoricalActivity.objects.count() == 0

    done = subprocess.run(args, env=keshi_env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "导入 30 条记录" in done.stdout
    assert Activity.objects.filter(person=teacher).count() == 30
    assert HistoricalActivity.objects.count() == 30


def test_kill_during_import_roster_leaves_nothing_and_the_rerun_imports_all(
    transactional_db, cast, keshi_env, tmp_path
):
    before = Person.objects.count()
    rows = [[f"N{i:03d}", f"新教师{i}", "女", "1995-05-06", "语文", "语文组"] for i in range(1, 21)]
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook(["工号", "姓名", "性别", "出生日期", "任教学科", "所在教研组"], rows))
    args = keshi("import-roster", str(path), "--org", "demo")

    state = kill_at_pause(args, keshi_env, "org_person", after=10)

    assert state["in_transaction"] is True
    assert_database_intact()
    assert Person.objects.count() == before
    assert not Person.objects.filter(staff_no__startswith="N").exists()

    done = subprocess.run(args, env=keshi_env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "新增 20 人" in done.stdout
    assert Person.objects.filter(staff_no__startswith="N", org=cast.school).count() == 20
    assert Person.objects.count() == before + 20


# ---- the server saving a record -------------------------------------------------------------


def test_kill_of_the_server_worker_while_saving_a_record(
    transactional_db, cast, keshi_env, tmp_path
):
    """gunicorn serves the record form; its worker is killed after the record's INSERT, before
    the attachment and the history row. The master starts a new worker; the same POST again
    saves the record once, whole."""
    port = free_port()
    # KESHI_DEBUG: a form with errors renders without a collectstatic manifest (shows why).
    env = {
        **keshi_env,
        "KESHI_FAULT_PAUSE": "records_activity:1",
        "KESHI_LOG_LEVEL": "ERROR",
        "KESHI_DEBUG": "1",
    }
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "keshi.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
         "--timeout", "600"],
        env=env, stdout=subprocess.DEVNULL, stderr=log.open("w"), text=True,
    )  # fmt: skip
    try:
        wait_for_port(port, server)
        client = Client()
        client.force_login(cast.teacher)  # a real session row, committed
        session = requests.Session()
        session.cookies.set("sessionid", client.cookies["sessionid"].value)
        token = "a" * 32
        session.cookies.set("csrftoken", token)
        form = {
            "kind": "observation",
            "date": "2026-09-02",
            "quantity": "2",
            "observed": str(cast.other_teacher.person.pk),
            "f_class_name": "初一(3)班",
            "f_subject": "语文",
            "f_topic": "春",
            "f_lesson_no": "3",
        }
        files = {"files": ("听课记录.pdf", b"%PDF-1.4\n" + b"0" * 2000, "application/pdf")}
        url = f"http://127.0.0.1:{port}/records/new/?kind=observation"
        headers = {"X-CSRFToken": token}

        with ThreadPoolExecutor(1) as pool:
            request = pool.submit(
                session.post, url, data=form, files=files, headers=headers, timeout=600,
                allow_redirects=False,
            )  # fmt: skip
            state = wait_for(Path(keshi_env["KESHI_FAULT_MARKER"]), server, request=request)
            assert state["in_transaction"] is True and state["pid"] != server.pid
            os.kill(state["pid"], signal.SIGKILL)  # the gunicorn worker, mid-request
            with pytest.raises(requests.ConnectionError):
                request.result(timeout=120)

        assert_database_intact()
        assert Activity.objects.count() == 0
        assert Attachment.objects.count() == 0
        assert Activity.history.model.objects.count() == 0

        for _ in range(100):  # the master replaces the killed worker
            response = session.post(
                url, data=form, files=files, headers=headers, timeout=120, allow_redirects=False
            )
            if response.status_code != 502:
                break
            time.sleep(0.2)
        assert response.status_code == 302, response.text[:2000]
        activity = Activity.objects.get()
        assert re.search(rf"/records/{activity.pk}/\?saved=1$", response.headers["Location"])
        assert activity.person == cast.teacher.person and activity.quantity == 2
        assert [a.name for a in activity.attachments.all()] == ["听课记录.pdf"]
        assert activity.history.count() == 1
    except BaseException:
        print(log.read_text()[-5000:])  # the server's tracebacks, shown with the failure
        raise
    finally:
        server.terminate()
        server.wait(timeout=30)


# ---- the task worker ------------------------------------------------------------------------


def test_kill_of_the_task_worker_during_the_daily_reminders(demo_school, keshi_env):
    """The worker dies after two reminders were delivered and while writing the third.
    The task stays 运行中; ``keshi requeue-tasks`` puts it back, the worker runs it again, and
    every recipient has exactly one reminder, each with its delivery record."""
    from keshi.notify.tasks import send_daily_reminders

    today = timezone.localdate().isoformat()
    base = Notification.objects.count()  # the demo data has notifications of its own
    inapp = Digest.objects.filter(via="inapp")
    assert not inapp.exists()  # the demo data sends no reminders
    result = send_daily_reminders.enqueue(at=today, org="demo")
    worker = keshi("db_worker", "--batch", "--no-startup-delay", "--worker-id", "w1")

    state = kill_at_pause(worker, keshi_env, "notify_notification", after=3)

    assert state["in_transaction"] is True
    assert_database_intact()
    task = DBTaskResult.objects.get(pk=result.id)
    assert task.status == TaskResultStatus.RUNNING  # what django-tasks leaves behind
    assert Notification.objects.count() == base + 2  # the third one's transaction died with it
    assert inapp.filter(status=Digest.Status.SENT).count() == 2
    assert inapp.exclude(status=Digest.Status.SENT).count() == 0

    requeue = subprocess.run(
        keshi("requeue-tasks", "--worker-id", "w1"), env=keshi_env, capture_output=True, text=True
    )
    assert requeue.returncode == 0, requeue.stderr
    assert "放回队列的任务：1 个" in requeue.stdout
    done = subprocess.run(worker, env=keshi_env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr

    task.refresh_from_db()
    assert task.status == TaskResultStatus.SUCCESSFUL
    assert task.worker_ids == ["w1", "w1"]
    [report] = task.return_value
    assert report["sent"]["inapp"] >= 1 and report["skipped"] >= 2  # resumed, not repeated
    total = Notification.objects.count() - base
    assert total == 2 + report["sent"]["inapp"]
    assert inapp.filter(status=Digest.Status.SENT).count() == total
    keys = list(inapp.values_list("key", flat=True))
    assert len(keys) == len(set(keys))
