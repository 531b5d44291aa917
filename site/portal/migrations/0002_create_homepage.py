"""Replace Wagtail's welcome page with the site's HomePage and point the default site at it."""
from django.db import migrations


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    HomePage = apps.get_model("portal", "HomePage")
    Locale = apps.get_model("wagtailcore", "Locale")

    Page.objects.filter(depth=2, slug="home", content_type__app_label="wagtailcore", content_type__model="page").delete()
    if HomePage.objects.exists():
        return
    ct, _ = ContentType.objects.get_or_create(model="homepage", app_label="portal")
    locale = Locale.objects.first()
    root = Page.objects.get(depth=1)
    # Treebeard's API is not available in migrations: place the page by hand.
    last_child = Page.objects.filter(depth=2).order_by("-path").first()
    step = int(last_child.path[-4:], 36) + 1 if last_child else 1
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    suffix = ""
    n = step
    for _i in range(4):
        suffix = alphabet[n % 36] + suffix
        n //= 36
    home = HomePage.objects.create(
        title="执法学堂", draft_title="执法学堂", slug="home", content_type=ct,
        path=root.path + suffix, depth=2, numchild=0, url_path="/home/", locale=locale, live=True,
    )
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.update_or_create(is_default_site=True, defaults={
        "hostname": "localhost", "port": 80, "root_page_id": home.id, "site_name": "执法学堂"})


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]
    operations = [migrations.RunPython(create_homepage, migrations.RunPython.noop)]
