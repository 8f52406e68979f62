"""Test-only fault injection for the kill -9 tests (keshi/tests/test_faults.py).

With ``KESHI_FAULT_PAUSE="<table>:<n>"`` in the environment, a keshi process, right after its
n-th INSERT into ``<table>``, writes ``KESHI_FAULT_MARKER`` (a JSON file: the table, the count,
whether it is inside a transaction) and sleeps, so that a test can SIGKILL it at a known point
in the middle of a write. Once the marker exists no process pauses again, so the restarted
process (a new gunicorn worker, the rerun) does the work. Without the variable nothing is
installed (production never sets it).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from django.db.backends.signals import connection_created


def install() -> None:
    spec = os.environ.get("KESHI_FAULT_PAUSE", "")
    if not spec:
        return
    table, _, n = spec.rpartition(":")
    pause = _Pause(table=table, after=int(n), marker=Path(os.environ["KESHI_FAULT_MARKER"]))
    connection_created.connect(pause.attach, weak=False)


class _Pause:
    def __init__(self, *, table: str, after: int, marker: Path) -> None:
        self.needle = f'INSERT INTO "{table}"'
        self.table = table
        self.after = after
        self.marker = marker
        self.count = 0

    def attach(self, sender, connection, **kwargs) -> None:
        # Sent again on every reconnect of the same DatabaseWrapper: wrap once.
        if self not in connection.execute_wrappers:
            connection.execute_wrappers.append(self)

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if sql.lstrip().startswith(self.needle):
            self.count += 1
            if self.count == self.after and not self.marker.exists():
                state = {
                    "table": self.table,
                    "inserts": self.count,
                    "in_transaction": context["connection"].in_atomic_block,
                    "pid": os.getpid(),
                }
                tmp = self.marker.with_suffix(".tmp")
                tmp.write_text(json.dumps(state))
                tmp.replace(self.marker)
                while True:  # wait here, mid-write, for the SIGKILL
                    time.sleep(60)
        return result
