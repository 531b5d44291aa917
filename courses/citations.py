"""Statute citations in lesson text, through the case bank.

The case bank owns citation parsing (casebank.citations): it turns citations
into links with the article text inline, and reports citations that must not
be published (unknown articles, repealed laws in current teaching material).
"""
import logging

logger = logging.getLogger("academy")


def _casebank():
    try:
        from casebank import citations as cb
    except ImportError:
        return None
    return cb


def linkify(html, as_of=None):
    """Link statute citations in already-sanitised HTML; plain HTML if the case bank cannot."""
    cb = _casebank()
    fn = getattr(cb, "linkify_citations", None)
    if fn is None:
        return html
    try:
        return fn(html, as_of=as_of)
    except Exception:  # a broken citation must not take the lesson page down
        logger.exception("linkify_citations failed")
        return html


def check(text, as_of=None):
    """Problems with the citations in a text that block publishing (a list of messages)."""
    cb = _casebank()
    fn = getattr(cb, "check_text", None)
    if fn is None:
        return []
    return list(fn(text, as_of) or [])
