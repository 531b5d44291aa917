"""Stored reasons in the reader's language.

``QualificationRecord.reasons`` keeps the texts of the last evaluation, worded in the language that
was active when it ran (the daily run: Chinese). Lists and exports read them back without
re-evaluating every officer, so each text is matched against the officers app's own messages (the
Chinese source or its English translation) and worded again, with the same values, in the active
language. A text that matches no message (typed by someone) is shown as stored.
"""
import gettext as gettext_module
import re
from functools import lru_cache
from pathlib import Path

from django.utils.translation import get_language, gettext

CATALOGUE = Path(__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES" / "django.mo"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
#: Texts of fewer literal characters than this are too loose to recognise a message by.
MIN_LITERAL = 2


def _pattern(text):
    """A regex that matches ``text`` with any value in each placeholder, or None."""
    names = PLACEHOLDER.findall(text)
    pieces = PLACEHOLDER.split(text)[::2]  # the literal parts around the placeholders
    if len(set(names)) != len(names) or sum(len(p) for p in pieces) < MIN_LITERAL:
        return None
    regex = "".join(re.escape(p) + (f"(?P<{n}>.+?)" if i < len(names) else "")
                    for i, (p, n) in enumerate(zip(pieces, names + [None])))
    return re.compile(regex.replace("%%", "%") + r"\Z", re.S)


@lru_cache(maxsize=1)
def _messages():
    """(exact texts → source message, [(pattern, source message)] most specific first)."""
    try:
        with open(CATALOGUE, "rb") as fh:
            catalogue = gettext_module.GNUTranslations(fh)._catalog
    except OSError:
        return {}, []
    exact, patterns = {}, []
    for key, english in catalogue.items():
        source = key[0] if isinstance(key, tuple) else key
        if not source or not isinstance(english, str):
            continue
        for text in (source, english):
            if PLACEHOLDER.search(text):
                pattern = _pattern(text)
                if pattern:
                    patterns.append((len(PLACEHOLDER.sub("", text)), pattern, source))
            else:
                exact.setdefault(text, source)
    patterns.sort(key=lambda item: -item[0])
    return exact, [(pattern, source) for _length, pattern, source in patterns]


@lru_cache(maxsize=4096)
def _reword(text, language):
    exact, patterns = _messages()
    if text in exact:
        return gettext(exact[text])
    for pattern, source in patterns:
        match = pattern.match(text)
        if match:
            values = {name: _reword(value, language) for name, value in match.groupdict().items()}
            try:
                return gettext(source) % values
            except (KeyError, TypeError, ValueError):
                return text
    return text


def in_reader_language(text):
    """``text`` (a stored reason) worded in the active language."""
    return _reword(str(text), get_language()) if text else text


def reasons_in_reader_language(reasons):
    return [in_reader_language(r) for r in reasons or []]
