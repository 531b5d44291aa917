"""Legal reviewers maintain the search vocabulary (synonyms, domain terms)."""
from django.apps import apps as global_apps
from django.db import migrations

PERMS = [(model, action) for model in ("synonymgroup", "domainterm") for action in ("add", "change", "delete", "view")]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group = Group.objects.filter(name="legal_reviewer").first()
    if group is None:
        return
    for model, action in PERMS:
        ct, _ = ContentType.objects.get_or_create(app_label="search", model=model)
        perm, _ = Permission.objects.get_or_create(content_type=ct, codename=f"{action}_{model}",
                                                   defaults={"name": f"Can {action} {model}"})
        group.permissions.add(perm)


class Migration(migrations.Migration):
    # The roles come from officers; the conformance settings run this app without it.
    dependencies = [("search", "0001_initial"), ("contenttypes", "0002_remove_content_type_name"),
                    ("auth", "0012_alter_user_first_name_max_length")] + (
        [("officers", "0002_roles")] if global_apps.is_installed("officers") else [])
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
