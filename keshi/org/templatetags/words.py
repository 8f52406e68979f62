from django import template

from keshi.org import words as _words

register = template.Library()


@register.simple_tag
def word(school_word: str) -> str:
    """``{% word "学期" %}``: the reader's word (年度 in a hospital)."""
    return _words.word(school_word)


@register.filter
def in_words(text: str) -> str:
    """``{{ label|in_words }}``: keshi's own text (never user input) in the reader's words."""
    return _words.word(str(text))
