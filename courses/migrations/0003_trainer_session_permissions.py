"""Trainers schedule on-site sessions in the admin (现场教学 snippets)."""
from django.db import migrations

PERMS = {"trainer": ["add_onsitesession", "change_onsitesession", "view_onsitesession"]}


def grant(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    ct, _ = ContentType.objects.get_or_create(app_label="courses", model="onsitesession")
    for group in Group.objects.filter(name__in=list(PERMS)):
        for codename in PERMS[group.name]:
            perm, _ = Permission.objects.get_or_create(content_type=ct, codename=codename,
                                                       defaults={"name": codename.replace("_", " ")})
            group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [("courses", "0002_course_section")]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
