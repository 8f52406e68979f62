"""The English catalog (#22 item 7): every string keshi says has its English, compiled.

A new or changed ``_()`` / ``{% translate %}`` string fails here until ``make messages`` has
picked it up and its English is written in ``keshi/locale/en/LC_MESSAGES/django.po``.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGS = ("django",)  # the JavaScript holds no strings to translate (no djangojs)
PLACEHOLDER = re.compile(r"%(?:\(\w+\))?[sdif]")
# What makemessages must not read: the vendored front-end files and the catalog itself.
NOT_SOURCE = shutil.ignore_patterns("vendor", "locale", "__pycache__", "*.pyc", "*.png", "*.docx")


def _po(domain: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / f"{domain}.po"))


def _text(entry: polib.POEntry) -> str:
    return entry.msgid if not entry.msgid_plural else f"{entry.msgid} / {entry.msgid_plural}"


@pytest.mark.slow
def test_every_string_in_the_source_is_translated(tmp_path, monkeypatch) -> None:
    """makemessages over a copy of the source, merged into a copy of the catalog: nothing new
    (untranslated) and nothing changed (fuzzy) may come out."""
    tree = tmp_path / "keshi"
    shutil.copytree(settings.BASE_DIR, tree, ignore=NOT_SOURCE)
    shutil.copytree(LOCALE, tree / "locale")
    monkeypatch.chdir(tmp_path)
    with override_settings(LOCALE_PATHS=[tree / "locale"]):
        for domain in CATALOGS:
            call_command(
                "makemessages", locale=["en"], domain=domain, no_location=True, verbosity=0
            )
    missing = []
    for domain in CATALOGS:
        merged = polib.pofile(str(tree / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"))
        missing += [f"{domain}: {_text(e)}" for e in merged.untranslated_entries()]
        missing += [f"{domain} (changed): {_text(e)}" for e in merged.fuzzy_entries()]
    assert not missing, "untranslated — run `make messages` and translate:\n" + "\n".join(missing)


@pytest.mark.parametrize("domain", CATALOGS)
def test_the_compiled_catalog_is_the_source_catalog(domain: str) -> None:
    po = _po(domain)
    mo = polib.mofile(str(LOCALE / "en" / "LC_MESSAGES" / f"{domain}.mo"))
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo if e.msgid}
    written = {
        (e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural)
        for e in po.translated_entries()
        if e.msgid
    }
    assert compiled == written, "the .mo is stale — run `make messages`"


def _placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_placeholders_survive_translation() -> None:
    """A msgstr that drops or adds a %(name)s would fail in English at runtime (KeyError)."""
    bad = [
        e.msgid
        for e in _po("django")
        if "python-format" in e.flags
        and e.msgstr
        and _placeholders(e.msgid) != _placeholders(e.msgstr)
    ]
    assert not bad, bad


def test_english_is_spoken_from_the_catalog() -> None:
    with translation.override("en"):
        assert translation.gettext("退出登录") != "退出登录"
        assert translation.gettext("通知") != "通知"
