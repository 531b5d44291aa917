"""modelsearch's shared backend test suite, run against search.backends.whoosh.

Run with ``python -m django test search.conformance --settings=search.conformance_settings``
(tests/search/test_conformance.py does this inside ``make test``)."""
import unittest

from django.conf import settings
from django.test import TestCase

from modelsearch.tests.test_backends import BackendTests

FIXTURE = settings.FIXTURE_DIR / "search.json" if hasattr(settings, "FIXTURE_DIR") else None


@unittest.skipUnless(FIXTURE is not None and FIXTURE.exists(),
                     "search conformance fixture (../shared/search-conformance/search.json) is absent")
class WhooshBackendConformanceTests(BackendTests, TestCase):
    backend_path = "search.backends.whoosh"
