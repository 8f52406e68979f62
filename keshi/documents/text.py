"""Text that every format keshi writes can hold: the one normaliser for input and output.

XML 1.0 — what .xlsx and .docx are made of — cannot hold the C0 control characters other than
tab, line feed and carriage return, nor U+FFFE, U+FFFF or a lone surrogate; openpyxl raises
``IllegalCharacterError`` and lxml ``ValueError`` on them, so one such character in one name
used to break an export for the whole school. PostgreSQL text cannot hold NUL, iCalendar text
no control character but tab.

Nobody types these on purpose: they arrive invisibly in text pasted from Word or a PDF (field
marks, U+000B for Word's manual line break) or from a script. So input **drops** them instead of
refusing the form — the user could not see, let alone find and delete, what was wrong. Every
text the forms (``keshi.web.forms.strip_control_chars_from_forms``), the API schemas
(``keshi.org.api.text``) and the imports (``keshi.org.roster.clean_text``, the plan reader)
accept goes through :func:`strip_control_chars`; the writers (``keshi.documents.xlsx``,
``keshi.documents.docx``, ``keshi.plans.ical``) apply it again to whatever is already stored.

Pure: no Django.
"""

from __future__ import annotations

import re

# C0 controls except \t \n \r; lone surrogates; the two non-characters XML 1.0 excludes.
_UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def strip_control_chars(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold; tabs and line breaks are kept."""
    return _UNWRITABLE.sub("", text)


def has_control_chars(text: str) -> bool:
    return _UNWRITABLE.search(text) is not None
