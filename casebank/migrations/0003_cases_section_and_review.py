"""Create the case bank section (案例库, slug "cases") under the HomePage, the
"法制审核" workflow (a group approval task of the legal reviewers) on it, and
the permissions of trainers and legal reviewers."""
from django.db import migrations

WORKFLOW_NAME = "法制审核"
MODEL_PERMS = {
    "legal_reviewer": [(model, action) for model in
                       ("law", "article", "poweritem", "discretionbenchmark", "lawsuccession")
                       for action in ("add", "change", "view")],
    "trainer": [(model, "view") for model in ("law", "article", "poweritem", "discretionbenchmark")],
}
PAGE_PERMS = {
    "trainer": ["add_page", "change_page"],
    "legal_reviewer": ["add_page", "change_page", "publish_page"],
}
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _perm(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    ct, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    action, _sep, _rest = codename.partition("_")
    perm, _ = Permission.objects.get_or_create(
        content_type=ct, codename=codename, defaults={"name": f"Can {action} {model}"})
    return perm


def _child_path(Page, parent):
    last = Page.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).order_by("-path").first()
    n = int(last.path[-4:], 36) + 1 if last else 1
    suffix = ""
    for _i in range(4):
        suffix = ALPHABET[n % 36] + suffix
        n //= 36
    return parent.path + suffix


def create_section(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("portal", "HomePage")
    CaseIndexPage = apps.get_model("casebank", "CaseIndexPage")

    groups = {g.name: g for g in Group.objects.filter(name__in=["trainer", "legal_reviewer"])}
    for group_name, perms in MODEL_PERMS.items():
        group = groups.get(group_name)
        if group:
            for model, action in perms:
                group.permissions.add(_perm(apps, "casebank", model, f"{action}_{model}"))

    home = HomePage.objects.order_by("path").first()
    index = CaseIndexPage.objects.first()
    if index is None and home is not None:
        ct, _ = ContentType.objects.get_or_create(app_label="casebank", model="caseindexpage")
        index = CaseIndexPage.objects.create(
            title="案例库", draft_title="案例库", slug="cases", content_type=ct,
            path=_child_path(Page, home), depth=home.depth + 1, numchild=0,
            url_path=home.url_path + "cases/", locale_id=home.locale_id, live=True,
            intro="城市管理综合执法典型案例：案情、争议焦点、法律依据、裁量与程序、评析。")
        Page.objects.filter(pk=home.pk).update(numchild=Page.objects.filter(
            path__startswith=home.path, depth=home.depth + 1).count())
    if index is None:
        return

    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    for group_name, codenames in PAGE_PERMS.items():
        group = groups.get(group_name)
        if group:
            for codename in codenames:
                GroupPagePermission.objects.get_or_create(
                    group=group, page_id=index.pk, permission=_perm(apps, "wagtailcore", "page", codename))

    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not WorkflowTask.objects.filter(workflow=workflow).exists():
        task_ct, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="groupapprovaltask")
        task = GroupApprovalTask.objects.create(name=WORKFLOW_NAME, active=True, content_type=task_ct)
        if "legal_reviewer" in groups:
            task.groups.add(groups["legal_reviewer"])
        WorkflowTask.objects.create(workflow=workflow, task_id=task.pk, sort_order=0)
    WorkflowPage.objects.get_or_create(page_id=index.pk, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("casebank", "0002_seed_reference_data"),
        ("portal", "0002_create_homepage"),
        ("officers", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(create_section, migrations.RunPython.noop)]
