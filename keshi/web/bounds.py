"""Numbers from a request kept within what the database holds (issue #19).

A select value or a number typed as 99999999999999999999 made a server error in two places:

* **Lookups.** Django 5.0 (ticket #27397) made ``exact``, ``gt``, ``gte``, ``lt`` and ``lte`` on
  integer fields treat a value beyond the column's range as matching nothing (or everything)
  instead of handing it to the database: SQLite's driver raises OverflowError past 2⁶³,
  PostgreSQL compares as ``numeric`` and scans the table. ``in``, and every lookup through a
  foreign key, were left out — and ModelMultipleChoiceField checks a submitted list with
  ``pk__in``, so any multi-select failed, as did ``filter(org=…)`` with an id from a query
  string. :class:`IntegerFieldIn`, :class:`BoundedRelatedIn` and :class:`BoundedRelatedExact`
  complete Django's mechanism: an id out of range names no row, so dropping it changes no
  result, and the form answers with its usual "请选择有效的选项".
* **Form numbers.** ``forms.IntegerField`` (and its subclasses DecimalField and FloatField)
  accepts any size unless given ``max_value``; saved, the number overflows the column (or a
  ``timedelta``). :func:`_validate` refuses a number beyond ±(2³¹−1), the narrowest integer
  column a form number goes into (PostgreSQL ``integer``), with Django's own "确保该值小于或
  等于…" message. Narrower columns (``smallint``) are guarded by the model's range validators,
  or by a form's own ``max_value`` where it skips model validation.

Both are hooks on the classes, installed once by ``keshi.web.apps.WebConfig.ready``, not field
classes or a mixin for forms to use: they must reach *every* form and query — ModelForms'
generated fields, the kinds' fields, the admin, views filtering on a submitted id — and a form
that forgot a base class would be a 500 again.
"""

from __future__ import annotations

import copy
import math
from decimal import Decimal

from django import forms
from django.core.exceptions import EmptyResultSet, FieldError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import ForeignObject, IntegerField
from django.db.models.fields.related_lookups import RelatedExact, RelatedIn
from django.db.models.lookups import In

MAX_FORM_INTEGER = 2**31 - 1


def _range(lookup, connection) -> tuple[int | None, int | None]:
    """The range of the integer column ``lookup`` compares (through a foreign key: its
    target's); no bounds for a column that holds something else."""
    field = getattr(lookup.lhs, "output_field", None)
    try:
        field = getattr(field, "target_field", field)
    except FieldError:  # a foreign key over several columns
        return None, None
    if not isinstance(field, IntegerField):
        return None, None
    return connection.ops.integer_field_range(field.get_internal_type())


def _outside(value: object, low: int | None, high: int | None) -> bool:
    return (
        isinstance(value, int)
        and not isinstance(value, bool)
        and ((low is not None and value < low) or (high is not None and value > high))
    )


class _InRange:
    """``in``: values outside the column's range are left out (none left: matches nothing)."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = _range(self, connection)
            kept = [v for v in self.rhs if not _outside(v, low, high)]
            if len(kept) != len(self.rhs):
                lookup = copy.copy(self)
                lookup.rhs = kept
                return super(_InRange, lookup).process_rhs(compiler, connection)
        return super().process_rhs(compiler, connection)


class IntegerFieldIn(_InRange, In):
    pass


class BoundedRelatedIn(_InRange, RelatedIn):
    pass


class BoundedRelatedExact(RelatedExact):
    """``exact`` through a foreign key, as Django's ``IntegerFieldExact``: out of range, no row."""

    def process_rhs(self, compiler, connection):
        if _outside(self.rhs, *_range(self, connection)):
            raise EmptyResultSet
        return super().process_rhs(compiler, connection)


_integer_validate = forms.IntegerField.validate
_too_small = MinValueValidator(-MAX_FORM_INTEGER)
_too_large = MaxValueValidator(MAX_FORM_INTEGER)


def _validate(self: forms.IntegerField, value) -> None:
    _integer_validate(self, value)
    if value in self.empty_values:
        return
    finite = isinstance(value, int) or (
        value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    )
    if finite:  # NaN and ∞: the subclass calls them invalid next
        _too_small(value)
        _too_large(value)


def install() -> None:
    """Install both hooks (idempotent)."""
    IntegerField.register_lookup(IntegerFieldIn)
    ForeignObject.register_lookup(BoundedRelatedIn)
    ForeignObject.register_lookup(BoundedRelatedExact)
    forms.IntegerField.validate = _validate
