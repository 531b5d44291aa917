"""Development settings (`manage.py runserver` by hand): DEBUG on, loopback only.

`make run` does not use these: it serves with config.settings.local under gunicorn.
The secret key is the one generated into the data folder (config/secret_key.py), never
a key written in the repository.
"""
from config import secret_key

from .base import *  # noqa: F401,F403
from .base import DATA_DIR

DEBUG = True
SECRET_KEY = secret_key.load_or_create(DATA_DIR)
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]
DEMO_CONTENT_ALLOWED = True
