"""Development and demo settings (make run)."""
from .base import *  # noqa: F401,F403

DEBUG = True
SECRET_KEY = "dev-only-not-secret-5b1c0f3e7d2a4c9b8e6f"  # noqa: S105
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
DEMO_CONTENT_ALLOWED = True
