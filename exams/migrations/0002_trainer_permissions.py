"""Trainers manage the question bank and exams (Wagtail snippets); admins hold every permission."""
from django.db import migrations

MODELS = ["question", "exam"]
ACTIONS = ["add", "change", "view", "delete"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    group, _ = Group.objects.get_or_create(name="trainer")
    for model in MODELS:
        ct, _ = ContentType.objects.get_or_create(app_label="exams", model=model)
        for action in ACTIONS:
            perm, _ = Permission.objects.get_or_create(
                content_type=ct, codename=f"{action}_{model}", defaults={"name": f"Can {action} {model}"}
            )
            group.permissions.add(perm)


class Migration(migrations.Migration):
    dependencies = [
        ("exams", "0001_initial"),
        ("officers", "0002_roles"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
