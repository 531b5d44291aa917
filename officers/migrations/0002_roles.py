"""Create the four role groups with the Django and Wagtail permissions each needs.
Apps add further permissions to these groups in their own migrations."""
from django.db import migrations

ROLE_PERMISSIONS = {
    "officer": [],
    "trainer": [("wagtailadmin", "admin", "access_admin")],
    "legal_reviewer": [("wagtailadmin", "admin", "access_admin")],
    "hr": [
        ("officers", "officer", "view_officer"),
        ("officers", "unit", "view_unit"),
        ("officers", "hoursentry", "view_hoursentry"),
        ("officers", "hoursentry", "add_hoursentry"),
        ("officers", "auditlog", "view_auditlog"),
    ],
}


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for name, perms in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, model, codename in perms:
            ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
            perm, _ = Permission.objects.get_or_create(
                content_type=ct, codename=codename, defaults={"name": codename.replace("_", " ")}
            )
            group.permissions.add(perm)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("officers", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_roles, remove_roles)]
