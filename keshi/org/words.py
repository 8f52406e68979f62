"""The reader's glossary in front of gettext (#24, ``keshi.org.glossary``).

``using(org)`` (a context manager, for documents, tasks and commands; for a request,
``keshi.web.words.WordsMiddleware`` with the user's home org) wrap the active translation, so every string that goes
through gettext — ``_()``, ``gettext_lazy`` labels and choices, ``{% translate %}`` — comes
out in the org type's words. Variables (names, titles, text users typed) are not gettext and
are left alone. A school's glossary is empty: nothing is wrapped.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import trans_real

from keshi.org.glossary import Glossary, glossary_for


class _Worded:
    """A translation object that says the base translation's strings in a glossary's words."""

    def __init__(self, base, glossary: Glossary):
        self._base, self.glossary = base, glossary

    def gettext(self, message: str) -> str:
        return self.glossary.text(self._base.gettext(message))

    def ngettext(self, singular: str, plural: str, number: int) -> str:
        return self.glossary.text(self._base.ngettext(singular, plural, number))

    def __getattr__(self, name: str):
        return getattr(self._base, name)  # to_language, language, info…


def active() -> Glossary:
    """The glossary strings are said in now (the school's when none is active)."""
    current = getattr(trans_real._active, "value", None)
    return current.glossary if isinstance(current, _Worded) else glossary_for(None)


def word(school_word: str) -> str:
    """One school word in the active glossary: for Python that builds text without gettext."""
    return active().text(school_word)


@contextmanager
def using(org_or_kind) -> Iterator[Glossary]:
    """Say everything inside in the words of ``org_or_kind`` (an ``Org``, a kind or None)."""
    kind = getattr(org_or_kind, "kind", org_or_kind)
    glossary = glossary_for(kind)
    previous = getattr(trans_real._active, "value", None)
    base = previous._base if isinstance(previous, _Worded) else previous
    if base is None:
        base = trans_real.translation(trans_real.get_language())
    trans_real._active.value = base if glossary.is_school else _Worded(base, glossary)
    try:
        yield glossary
    finally:
        if previous is None:
            del trans_real._active.value
        else:
            trans_real._active.value = previous


def words(request) -> dict:
    """Context processor: ``{{ glossary.name }}`` and the ``{% word %}`` tag's glossary."""
    return {"glossary": active()}
