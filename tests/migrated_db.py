"""A copy of the freshly migrated test database, kept between test runs and keyed by the
migrations: while no migration file changes, the next run's test database starts from
the copy instead of migrating from nothing (``migrate`` still runs on it, and finds
nothing to do; its post-migrate handlers still run).

PostgreSQL keeps the copy as a database beside the test database, ``<test database>_m<key>``,
cloned with ``CREATE DATABASE … TEMPLATE``; the deployment tests clone their own databases
from it too. SQLite keeps it as a file in the system's temporary folder.

The key is a hash of every installed app's migration files, the project modules they import
and the database engine; a changed, added or removed migration makes a new copy (and PostgreSQL's older ones are
dropped), so a changed migration is always run from nothing once."""
import ast
import hashlib
import importlib.util
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import django
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections

ALIAS = "default"
ROOT = Path(__file__).resolve().parents[1]
#: Copies older than this (SQLite files of other branches) are removed.
STALE_SECONDS = 3 * 24 * 3600
#: The name of the PostgreSQL template this run's test database was made from or saved to.
template_name = None
#: The test database's name, read before the set-up renames the connection's database to it.
_target = None


def migrations_key():
    digest = hashlib.sha256()
    digest.update(django.get_version().encode())
    digest.update(settings.DATABASES[ALIAS]["ENGINE"].encode())
    for config in sorted(apps.get_app_configs(), key=lambda c: c.label):
        module = settings.MIGRATION_MODULES.get(config.label, f"{config.name}.migrations")
        spec = importlib.util.find_spec(module) if module else None
        if spec is None or not spec.submodule_search_locations:
            continue
        folder = Path(list(spec.submodule_search_locations)[0])
        for path in sorted(folder.glob("*.py")):
            digest.update(f"{config.label}/{path.name}\0".encode())
            source = path.read_bytes()
            digest.update(source)
            # A data migration may read the project's own modules (casebank.domain's choices).
            for module in sorted(_project_imports(source)):
                digest.update(f"{module}\0".encode())
                digest.update(_module_file(module).read_bytes())
    return digest.hexdigest()[:12]


def _project_imports(source):
    """The modules of this repository a migration's source imports."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            path = _module_file(name)
            if path is not None and ROOT in path.parents and "site-packages" not in path.parts:
                found.add(name)
    return found


def _module_file(name):
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith(".py"):
        return None
    return Path(spec.origin).resolve()


def _connection():
    return connections[ALIAS]


def _test_name():
    return _target


def _pg_template():
    return f"{_test_name()}_m{migrations_key()}"


def _pg_exists(cursor, name):
    cursor.execute("SELECT 1 FROM pg_catalog.pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _sqlite_copy():
    return Path(tempfile.gettempdir()) / f"academy-test-migrated-{migrations_key()}.sqlite3"


def restore():
    """Put the kept copy where the test database goes; True if there was one (the caller then
    sets the test database up with keepdb, so that Django migrates the copy instead of a new one).
    Called before the set-up; ``save()`` after it."""
    global template_name, _target
    connection = _connection()
    _target = connection.creation._get_test_db_name()
    if connection.vendor == "postgresql":
        template, target = _pg_template(), _test_name()
        quote = connection.ops.quote_name
        with connection._nodb_cursor() as cursor:
            if not _pg_exists(cursor, template):
                return False
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(target)} WITH (FORCE)")
            try:
                cursor.execute(f"CREATE DATABASE {quote(target)} TEMPLATE {quote(template)}")
            except DatabaseError:  # the copy is in use: migrate from nothing as Django does
                return False
        template_name = template
        return True
    if connection.vendor == "sqlite" and not connection.creation.is_in_memory_db(_test_name()):
        copy = _sqlite_copy()
        if not copy.is_file():
            return False
        target = Path(_test_name())
        for path in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
            path.unlink(missing_ok=True)
        shutil.copyfile(copy, target)
        return True
    return False


def save():
    """Keep a copy of the test database just set up (freshly migrated, nothing else written)."""
    global template_name
    connection = _connection()
    name = connection.settings_dict["NAME"]
    assert name == _test_name(), (name, _test_name())
    connections.close_all()
    if connection.vendor == "postgresql":
        template = _pg_template()
        quote = connection.ops.quote_name
        prefix = f"{_test_name()}_m"
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT datname FROM pg_catalog.pg_database WHERE datname LIKE %s",
                           [prefix.replace("_", r"\_") + "%"])
            for (old,) in cursor.fetchall():
                if old != template and len(old) == len(template):
                    cursor.execute(f"DROP DATABASE IF EXISTS {quote(old)} WITH (FORCE)")
            if not _pg_exists(cursor, template):
                cursor.execute(f"CREATE DATABASE {quote(template)} TEMPLATE {quote(name)}")
        template_name = template
    elif connection.vendor == "sqlite" and not connection.creation.is_in_memory_db(name):
        copy = _sqlite_copy()
        partial = copy.with_name(f"{copy.name}.{os.getpid()}.part")
        source, target = sqlite3.connect(name), sqlite3.connect(partial)
        try:
            source.backup(target)
        finally:
            source.close()
            target.close()
        os.replace(partial, copy)
        now = time.time()
        for old in copy.parent.glob("academy-test-migrated-*.sqlite3*"):
            try:
                if old != copy and now - old.stat().st_mtime > STALE_SECONDS:
                    old.unlink()
            except OSError:
                pass
