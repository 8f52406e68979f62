"""Text out of uploaded files: .txt (UTF-8, GB18030) and .docx (python-docx). Pure: no Django.

A .docx may be a compressed bomb, or simply huge: it is checked before python-docx opens it
(``keshi.documents.archive``), and :func:`extract_text_isolated` — what the originality task
and the corpus upload use — parses it in a child Python process under a memory limit
(``RLIMIT_AS``) and a timeout. A file that is slow or huge to parse then costs that child,
killed when over, never the task worker or web process that asked; being over a limit is
:class:`ExtractionFailed`, with the reason in Chinese. The text kept is at most
:data:`MAX_CHARS` characters.

``python -m keshi.originality.extract`` is that child: the file on stdin, its text on stdout.
"""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from keshi.documents.archive import (
    DEFAULT_LIMITS,
    UploadLimits,
    UploadRejected,
    check_archive,
    check_word_blocks,
    megabytes,
)

TEXT_SUFFIXES = (".txt", ".docx")
MAX_CHARS = 200_000  # about 130 pages of Chinese: what is fingerprinted of one file
DEFAULT_SECONDS = 60
DEFAULT_MEMORY_BYTES = 1024 * 1024 * 1024
# The child's exit codes besides 0 (the text on stdout).
_BROKEN, _REFUSED, _OUT_OF_MEMORY = 2, 3, 4
_PROJECT_DIR = Path(__file__).resolve().parents[2]  # where the child finds the keshi package


class ExtractionFailed(ValueError):
    """The file is over a limit (archive size, paragraphs, time, memory): not necessarily
    broken, but keshi will not read it. The message is Chinese and meant for the user."""


def is_text_file(name: str) -> bool:
    return name.lower().endswith(TEXT_SUFFIXES)


def extract_text(name: str, data: bytes, *, limits: UploadLimits = DEFAULT_LIMITS) -> str:
    """The text of a .txt or .docx file, in this process; ValueError for anything else or a
    broken file, :class:`ExtractionFailed` for one over ``limits``."""
    lower = name.lower()
    if lower.endswith(".txt"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                return data.decode(encoding)[:MAX_CHARS]
            except UnicodeDecodeError:
                continue
        raise ValueError("文本文件编码无法识别（请用 UTF-8 或 GBK）")
    if lower.endswith(".docx"):
        import docx

        try:
            check_archive(name, data, limits)
        except UploadRejected as exc:
            raise ExtractionFailed(str(exc)) from None
        try:
            document = docx.Document(io.BytesIO(data))
        except MemoryError:
            raise
        except Exception as exc:  # python-docx raises several kinds for a broken file
            raise ValueError(f"无法读取 Word 文件：{exc}") from exc
        try:
            check_word_blocks(name, document, limits)
        except UploadRejected as exc:
            raise ExtractionFailed(str(exc)) from None
        paragraphs = [p.text for p in document.paragraphs]
        for table in document.tables:
            for row in table.rows:
                paragraphs.append(" ".join(cell.text for cell in row.cells))
        return "\n".join(paragraphs)[:MAX_CHARS]
    raise ValueError("只支持 .txt 和 .docx 文件")


def extract_text_isolated(
    name: str,
    data: bytes,
    *,
    limits: UploadLimits = DEFAULT_LIMITS,
    seconds: float = DEFAULT_SECONDS,
    memory_bytes: int = DEFAULT_MEMORY_BYTES,
) -> str:
    """:func:`extract_text` in a child process of at most ``memory_bytes`` of address space,
    killed after ``seconds``. A .txt is only decoded, here."""
    if not name.lower().endswith(".docx"):
        return extract_text(name, data, limits=limits)
    try:
        check_archive(name, data, limits)  # refused without starting a child
    except UploadRejected as exc:
        raise ExtractionFailed(str(exc)) from None
    job = {"name": name, "limits": asdict(limits), "memory": memory_bytes, "cpu": seconds}
    command = [sys.executable, "-m", __name__, json.dumps(job)]
    path = os.pathsep.join(p for p in (str(_PROJECT_DIR), os.environ.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run(
            command,
            input=data,
            capture_output=True,
            timeout=seconds,
            env={**os.environ, "PYTHONPATH": path},
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child
        raise ExtractionFailed(f"“{name}”提取文字超时（超过 {seconds:g} 秒），未能读取") from None
    reason = done.stderr.decode("utf-8", "replace").strip()
    if done.returncode == 0:
        return done.stdout.decode("utf-8")
    if done.returncode == _BROKEN:
        raise ValueError(reason)
    if done.returncode == _REFUSED:
        raise ExtractionFailed(reason)
    if done.returncode == _OUT_OF_MEMORY:
        raise ExtractionFailed(
            f"“{name}”提取文字时超出内存上限（{megabytes(memory_bytes)}），未能读取"
        )
    raise ExtractionFailed(f"“{name}”提取文字的进程意外退出（{done.returncode}），未能读取")


_NO_MEMORY = ("memory allocation failed", "failed to map segment", "cannot allocate memory")


def _out_of_memory(exc: BaseException | None) -> bool:
    """Running out shows as MemoryError, as an XML error from lxml (which python-docx wraps
    again), or as an ImportError when a library cannot even be mapped."""
    while exc is not None:
        if isinstance(exc, MemoryError) or any(m in str(exc).lower() for m in _NO_MEMORY):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _child(argument: str) -> int:
    import resource

    job = json.loads(argument)
    resource.setrlimit(resource.RLIMIT_AS, (job["memory"], job["memory"]))
    cpu = math.ceil(job["cpu"]) + 1  # a backstop should the parent be gone
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    data = sys.stdin.buffer.read()
    try:
        text = extract_text(job["name"], data, limits=UploadLimits(**job["limits"]))
    except ExtractionFailed as exc:
        sys.stderr.buffer.write(str(exc).encode("utf-8"))
        return _REFUSED
    except (ValueError, MemoryError, ImportError, OSError) as exc:
        if _out_of_memory(exc):
            return _OUT_OF_MEMORY
        if not isinstance(exc, ValueError):
            raise
        sys.stderr.buffer.write(str(exc).encode("utf-8"))
        return _BROKEN
    sys.stdout.buffer.write(text.encode("utf-8"))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(_child(sys.argv[1]))
    except MemoryError:  # in the imports, before extract_text could catch it
        sys.exit(_OUT_OF_MEMORY)
