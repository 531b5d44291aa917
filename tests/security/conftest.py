"""The security tests reuse the browser harness (Debian Chromium through Playwright)."""
from tests.browser.conftest import browser, shots  # noqa: F401  (fixtures)
