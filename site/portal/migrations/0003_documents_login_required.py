"""Documents (lesson PDFs, videos, attachments) are for signed-in users only:
a login restriction on the root collection covers every collection below it."""
from django.db import migrations


def restrict(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    CollectionViewRestriction = apps.get_model("wagtailcore", "CollectionViewRestriction")
    root = Collection.objects.filter(depth=1).first()
    if root and not CollectionViewRestriction.objects.filter(collection=root).exists():
        CollectionViewRestriction.objects.create(collection=root, restriction_type="login")


class Migration(migrations.Migration):
    dependencies = [("portal", "0002_create_homepage"), ("wagtailcore", "0098_apitoken")]
    operations = [migrations.RunPython(restrict, migrations.RunPython.noop)]
