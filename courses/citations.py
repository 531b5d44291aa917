"""Statute citations in lesson text, through the case bank's citation service.

casebank.citations turns citations into links with the article text inline and
reports citations that must not be published (unknown laws or articles)."""
from casebank.citations import check_text, linkify_citations


def linkify(html, as_of=None):
    """Link statute citations in already-sanitised HTML."""
    return str(linkify_citations(html, as_of=as_of))


def blocking_problems(text, as_of=None):
    """Citation errors that block publishing (unknown law or article).

    ``as_of`` None judges the text as current teaching material, in which a
    repealed law is flagged (shown with a warning badge when rendered)."""
    return [p for p in check_text(text, as_of) if p.is_error]
