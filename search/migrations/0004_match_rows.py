"""The match table of the PostgreSQL search backend (search.backends.pgmatch): one narrow row per
index entry — the entry, its object's key, the object's filter values (``filters``) and the entry's
title and body vectors together (``vector``, GIN-indexed) — so that a search's count and facets are
one index scan of this table, with no join to the index entries or to the searched model's table.
The backend writes a row with its entry; a row goes with its entry through triggers on the
entries' table (a DELETE removes the deleted entries' rows, a TRUNCATE empties the match table).
Triggers rather than a foreign key: a table Django does not know may not hold a key to one it
truncates (``flush``, a test database between tests). Only on PostgreSQL; a no-op elsewhere.

Entries already indexed get their rows here with their vectors copied; their objects' filter
values are written right after ``migrate`` (``search.signal_handlers``), from the models as they
are then, never from a migration."""
from django.apps import apps as global_apps
from django.db import migrations

TABLE = "search_match"
SEARCH_APP = "wagtailsearch" if global_apps.is_installed("wagtail.search") else "modelsearch"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    entries = apps.get_model(SEARCH_APP, "IndexEntry")._meta.db_table
    schema_editor.execute(
        f'CREATE TABLE IF NOT EXISTS {TABLE} ('
        'entry_id integer PRIMARY KEY, '
        'content_type_id integer NOT NULL, object_id varchar(50) NOT NULL, pk bigint NULL, '
        'filters jsonb NULL, vector tsvector NOT NULL)')
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {TABLE}_forget() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"DELETE FROM {TABLE} m USING gone WHERE m.entry_id = gone.id; RETURN NULL; END $$")
    schema_editor.execute(
        f"CREATE OR REPLACE FUNCTION {TABLE}_clear() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"TRUNCATE {TABLE}; RETURN NULL; END $$")
    schema_editor.execute(f'DROP TRIGGER IF EXISTS {TABLE}_forget ON "{entries}"')
    schema_editor.execute(
        f'CREATE TRIGGER {TABLE}_forget AFTER DELETE ON "{entries}" REFERENCING OLD TABLE AS gone '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_forget()")
    schema_editor.execute(f'DROP TRIGGER IF EXISTS {TABLE}_clear ON "{entries}"')
    schema_editor.execute(
        f'CREATE TRIGGER {TABLE}_clear AFTER TRUNCATE ON "{entries}" '
        f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_clear()")
    # fastupdate off: a row written is in the index itself, never in a pending list every search
    # has to read through.
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_vector_gin ON {TABLE} USING gin (vector) "
                          "WITH (fastupdate = off)")
    # A model with few entries (a page type) is found by its content type, not by the GIN index.
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {TABLE}_content_type ON {TABLE} (content_type_id)")
    schema_editor.execute(
        f'INSERT INTO {TABLE} (entry_id, content_type_id, object_id, pk, vector) '
        f'SELECT e.id, e.content_type_id, e.object_id, '
        "CASE WHEN e.object_id ~ '^-?[0-9]{1,18}$' THEN e.object_id::bigint END, e.title || e.body "
        f'FROM "{entries}" e ON CONFLICT (entry_id) DO NOTHING')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        entries = apps.get_model(SEARCH_APP, "IndexEntry")._meta.db_table
        for name in ("forget", "clear"):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS {TABLE}_{name} ON "{entries}"')
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {TABLE}_{name}()")
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_indexentry_text_gin"),
    ]

    operations = [migrations.RunPython(create, drop)]
