"""modelsearch's shared backend test suite, run against search.backends.whoosh or, with
SEARCH_CONFORMANCE_BACKEND=postgres, search.backends.postgres.

Run with ``python -m django test search.conformance --settings=search.conformance_settings``
(tests/search/test_conformance.py does this inside ``make test``, for each backend the
database allows)."""
from django.conf import settings
from django.test import TestCase

from modelsearch.tests.test_backends import BackendTests


# The ``search`` fixture comes from tests/search/conformance/ (conformance_settings.FIXTURE_DIRS);
# without it the suite errors rather than skips.
class BackendConformanceTests(BackendTests, TestCase):
    backend_path = f"search.backends.{settings.SEARCH_CONFORMANCE_BACKEND}"
