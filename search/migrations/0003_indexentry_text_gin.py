"""An index for the PostgreSQL search backend (search.backends.postgres), which matches
queries against the title and body vectors of the search index table together
(``title || body @@ query``): a GIN index on that expression, so matching can read the index
instead of every row. Only on PostgreSQL; a no-op elsewhere.

The table is modelsearch's ``IndexEntry``: ``wagtailsearch_indexentry`` in the project
(modelsearch installed as ``wagtail.search``), ``modelsearch_indexentry`` where modelsearch is
installed by itself (its conformance settings)."""
from django.apps import apps as global_apps
from django.db import migrations

INDEX = "search_indexentry_text_gin"
SEARCH_APP = "wagtailsearch" if global_apps.is_installed("wagtail.search") else "modelsearch"
LAST_MIGRATION = {"wagtailsearch": "0010_add_text_fields",
                  "modelsearch": "0004_rename_modelsear_autocom_476c89_gin_modelsearch_autocom_ea8581_gin_and_more"}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        table = apps.get_model(SEARCH_APP, "IndexEntry")._meta.db_table
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON "{table}" USING gin (("title" || "body"))')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_reviewer_permissions"),
        (SEARCH_APP, LAST_MIGRATION[SEARCH_APP]),
    ]

    operations = [migrations.RunPython(create, drop)]
