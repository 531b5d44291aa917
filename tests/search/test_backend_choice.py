"""Choosing the search backend: the startup check refuses Whoosh's per-machine index
behind several app servers, and the PostgreSQL backend's analysis is the Whoosh
backend's (jieba words, 第X条, Latin/number words) written as tsvector/tsquery literals."""
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test import override_settings

from search import checks
from search.backends import postgres

WHOOSH = {"default": {"BACKEND": "search.backends.whoosh", "PATH": "/tmp/unused-index"}}
POSTGRES = {"default": {"BACKEND": "search.backends.postgres"}}


def _ids():
    return [e.id for e in checks.search_backend_fits_the_servers()]


def test_whoosh_is_refused_behind_several_app_servers():
    with override_settings(ACADEMY_APP_SERVERS=2, WAGTAILSEARCH_BACKENDS=WHOOSH):
        errors = checks.search_backend_fits_the_servers()
    assert [e.id for e in errors] == ["search.E001"]
    assert "ACADEMY_SEARCH_BACKEND=postgres" in errors[0].hint
    with override_settings(ACADEMY_APP_SERVERS=1, WAGTAILSEARCH_BACKENDS=WHOOSH):
        assert _ids() == []


def test_postgres_backend_needs_postgresql():
    with override_settings(ACADEMY_APP_SERVERS=3, WAGTAILSEARCH_BACKENDS=POSTGRES):
        expected = [] if connection.vendor == "postgresql" else ["search.E002"]
        assert _ids() == expected


def test_documents_are_written_as_our_words():
    literal = postgres.tsvector_literal([("依照行政处罚法第三十三条处罚", "A"), ("PM2.5 浓度", "B")])
    lexemes = {part.split("':")[0].strip("'") for part in literal.split(" ")}
    assert {"行政处罚法", "处罚", "第33条", "pm2.5", "浓度"} <= lexemes
    # Sub-words share their word's position; the second text starts after a gap.
    assert "'第33条':3A" in literal and "'pm2.5':6B" in literal


def test_lexemes_are_quoted():
    assert postgres.lexeme("it's") == "'it''s'"
    assert postgres.lexeme("a\\b", prefix=True) == "'a\\\\b':*"


def test_a_server_with_whoosh_behind_several_servers_does_not_start():
    with override_settings(ACADEMY_APP_SERVERS=2, WAGTAILSEARCH_BACKENDS=WHOOSH):
        with pytest.raises(ImproperlyConfigured, match="ACADEMY_APP_SERVERS"):
            checks.refuse_to_start()
    with override_settings(ACADEMY_APP_SERVERS=2, WAGTAILSEARCH_BACKENDS=POSTGRES):
        checks.refuse_to_start()
