"""An index for the PostgreSQL search backend (search.backends.postgres), which matches
queries against the title and body vectors of Wagtail's search index together
(``title || body @@ query``): a GIN index on that expression, so matching reads the index
instead of every row. Only on PostgreSQL; a no-op elsewhere."""
from django.db import migrations

INDEX = "search_indexentry_text_gin"
TABLE = "wagtailsearch_indexentry"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'CREATE INDEX IF NOT EXISTS {INDEX} ON {TABLE} USING gin (("title" || "body"))')


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_reviewer_permissions"),
        ("wagtailsearch", "0010_add_text_fields"),
    ]

    operations = [migrations.RunPython(create, drop)]
