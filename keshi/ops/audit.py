"""``make audit``: pip-audit over requirements.lock, with a verdict CI can act on.

pip-audit alone cannot tell "no known vulnerabilities" from "could not ask": without network
(or when PyPI's per-version JSON API does not answer) every dependency is skipped as "not found
on PyPI", and ``--strict`` turns that into the same failure as a real vulnerability. Here:

* exit 1 — a known vulnerability in a pinned dependency (not in ``IGNORED``): CI fails;
* exit 3 — some dependencies could not be checked (network, advisory service down): CI fails
  too, unless ``--allow-unchecked``, which prints a warning instead (``.ci/run`` uses it unless
  ``KESHI_AUDIT_REQUIRED=1``);
* exit 0 — every pinned dependency was checked and none has a known vulnerability.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

# Vulnerability id → why it does not apply to keshi (reviewed; remove when the pin moves on).
IGNORED: dict[str, str] = {}

VULNERABLE, UNCHECKED = 1, 3


@dataclass
class Verdict:
    checked: int = 0
    vulnerable: list[str] = field(default_factory=list)
    unchecked: list[str] = field(default_factory=list)

    @property
    def code(self) -> int:
        return VULNERABLE if self.vulnerable else UNCHECKED if self.unchecked else 0


def classify(report: dict) -> Verdict:
    verdict = Verdict()
    for dep in report.get("dependencies", []):
        name = f"{dep.get('name')} {dep.get('version', '')}".strip()
        if dep.get("skip_reason"):
            verdict.unchecked.append(f"{name}：{dep['skip_reason']}")
            continue
        verdict.checked += 1
        for vuln in dep.get("vulns", []):
            if vuln["id"] in IGNORED:
                continue
            fixes = "、".join(vuln.get("fix_versions") or []) or "暂无修复版本"
            verdict.vulnerable.append(f"{name}：{vuln['id']}（修复于 {fixes}）")
    return verdict


def run_pip_audit(requirements: Path) -> dict:
    args = [
        sys.executable, "-m", "pip_audit", "-r", str(requirements), "--no-deps", "--disable-pip",
        "--progress-spinner", "off", "--format", "json", "--timeout", "30",
    ]  # fmt: skip
    for vuln_id in IGNORED:
        args += ["--ignore-vuln", vuln_id]
    done = subprocess.run(args, capture_output=True, text=True, timeout=900, check=False)
    try:
        return json.loads(done.stdout)
    except json.JSONDecodeError:
        # pip-audit itself failed (no network at all, bad lock file): nothing was checked.
        message = (done.stderr.strip().splitlines() or ["pip-audit 没有输出"])[-1]
        return {"dependencies": [{"name": "（全部依赖）", "skip_reason": message}]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="依赖漏洞检查（pip-audit）")
    parser.add_argument("-r", "--requirements", default="requirements.lock", type=Path)
    parser.add_argument(
        "--allow-unchecked",
        action="store_true",
        help="有依赖未能检查（断网、漏洞库不可用）时只警告，不失败",
    )
    options = parser.parse_args(argv)
    verdict = classify(run_pip_audit(options.requirements))
    for line in verdict.vulnerable:
        print(f"有已知漏洞：{line}")
    for vuln_id, reason in IGNORED.items():
        print(f"已忽略 {vuln_id}：{reason}")
    if verdict.unchecked:
        shown = verdict.unchecked[:5] + (["……"] if len(verdict.unchecked) > 5 else [])
        print(f"未能检查 {len(verdict.unchecked)} 个依赖（需要访问 PyPI 漏洞数据）：")
        for line in shown:
            print(f"  {line}")
    print(f"已检查 {verdict.checked} 个依赖，有漏洞 {len(verdict.vulnerable)} 处。")
    if verdict.code == UNCHECKED and options.allow_unchecked:
        print("警告：依赖漏洞检查没有完成（见上），按 --allow-unchecked 继续。")
        return 0
    return verdict.code


if __name__ == "__main__":
    sys.exit(main())
