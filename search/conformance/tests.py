"""modelsearch's shared backend test suite, run against search.backends.whoosh.

Run with ``python -m django test search.conformance --settings=search.conformance_settings``
(tests/search/test_conformance.py does this inside ``make test``)."""
from django.test import TestCase

from modelsearch.tests.test_backends import BackendTests


# The ``search`` fixture comes from tests/search/conformance/ (conformance_settings.FIXTURE_DIRS);
# without it the suite errors rather than skips.
class WhooshBackendConformanceTests(BackendTests, TestCase):
    backend_path = "search.backends.whoosh"
