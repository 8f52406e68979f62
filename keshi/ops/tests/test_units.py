"""The systemd units in docs/operations.md are valid units for the commands keshi has."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import get_commands

DOC = Path(__file__).resolve().parents[3] / "docs" / "operations.md"
UNIT = re.compile(r"`/etc/systemd/system/([\w@.-]+)`[^\n]*\n+```ini\n(.*?)```", re.S)
VENV_BIN = "/srv/keshi/venv/bin/"


def documented_units() -> dict[str, str]:
    return dict(UNIT.findall(DOC.read_text()))


def test_the_manual_has_the_web_worker_and_daily_units():
    assert set(documented_units()) == {
        "keshi-web.service",
        "keshi-worker@.service",
        "keshi-daily.service",
        "keshi-daily.timer",
    }


def test_every_keshi_command_in_the_units_exists():
    commands = set(get_commands())
    used = {
        m
        for text in documented_units().values()
        for m in re.findall(rf"{re.escape(VENV_BIN)}keshi ([\w-]+)", text)
    }
    assert used >= {"db_worker", "requeue-tasks", "send-reminders"}
    assert used <= commands, used - commands


@pytest.mark.skipif(not shutil.which("systemd-analyze"), reason="systemd-analyze 不可用")
def test_systemd_accepts_the_units(tmp_path):
    bin_dir = str(Path(sys.executable).parent) + "/"
    names = []
    for name, text in documented_units().items():
        (tmp_path / name).write_text(text.replace(VENV_BIN, bin_dir))
        if name.endswith("@.service"):  # a template is verified through an instance of it
            instance = name.replace("@.", "@1.")
            (tmp_path / instance).symlink_to(tmp_path / name)
            name = instance
        names.append(str(tmp_path / name))
    done = subprocess.run(
        ["systemd-analyze", "verify", *names], capture_output=True, text=True, timeout=60
    )
    ours = [line for line in done.stderr.splitlines() if "keshi" in line]
    assert done.returncode == 0 and not ours, done.stderr
