"""The match table of the PostgreSQL search backend (search.backends.pgmatch): one narrow row per
index entry — the entry, its object's key, the object's filter values (``filters``) and the entry's
title and body vectors together (``vector``, GIN-indexed) — so that a search's count and facets are
one index scan of this table, with no join to the index entries or to the searched model's table.
A row goes with its entry (``ON DELETE CASCADE``); the backend writes it with the entry. Only on
PostgreSQL; a no-op elsewhere.

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
        f'entry_id integer PRIMARY KEY REFERENCES "{entries}" (id) ON DELETE CASCADE, '
        'content_type_id integer NOT NULL, object_id varchar(50) NOT NULL, pk bigint NULL, '
        'filters jsonb NULL, vector tsvector NOT NULL)')
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
        schema_editor.execute(f"DROP TABLE IF EXISTS {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0003_indexentry_text_gin"),
    ]

    operations = [migrations.RunPython(create, drop)]
