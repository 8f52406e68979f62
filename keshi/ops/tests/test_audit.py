"""The audit verdict: a vulnerability fails, an unchecked dependency is not a pass."""

from keshi.ops import audit

OK = {"name": "django", "version": "5.2.19", "vulns": []}
SKIPPED = {"name": "annotated-types", "version": "0.8.0", "skip_reason": "Dependency not found"}
VULN = {
    "name": "jinja2",
    "version": "3.1.0",
    "vulns": [{"id": "GHSA-xxxx", "fix_versions": ["3.1.3"], "aliases": []}],
}


def test_all_checked_and_clean_passes():
    verdict = audit.classify({"dependencies": [OK]})
    assert (verdict.code, verdict.checked) == (0, 1)


def test_a_known_vulnerability_fails_even_when_others_are_unchecked():
    verdict = audit.classify({"dependencies": [OK, SKIPPED, VULN]})
    assert verdict.code == audit.VULNERABLE
    assert verdict.vulnerable == ["jinja2 3.1.0：GHSA-xxxx（修复于 3.1.3）"]


def test_an_unchecked_dependency_is_not_a_pass():
    verdict = audit.classify({"dependencies": [OK, SKIPPED]})
    assert verdict.code == audit.UNCHECKED
    assert verdict.unchecked == ["annotated-types 0.8.0：Dependency not found"]


def test_an_ignored_vulnerability_does_not_fail(monkeypatch):
    monkeypatch.setattr(audit, "IGNORED", {"GHSA-xxxx": "不适用"})
    assert audit.classify({"dependencies": [VULN]}).code == 0


def test_allow_unchecked_turns_only_the_unchecked_verdict_into_a_warning(monkeypatch, capsys):
    monkeypatch.setattr(audit, "run_pip_audit", lambda path: {"dependencies": [OK, SKIPPED]})
    assert audit.main(["--allow-unchecked"]) == 0
    assert "警告" in capsys.readouterr().out
    assert audit.main([]) == audit.UNCHECKED
    monkeypatch.setattr(audit, "run_pip_audit", lambda path: {"dependencies": [VULN]})
    assert audit.main(["--allow-unchecked"]) == audit.VULNERABLE
