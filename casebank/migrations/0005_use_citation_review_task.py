"""Run the 法制审核 workflow with the citation-checking review task (same name,
same reviewer group) instead of the plain group approval task."""
from django.db import migrations

WORKFLOW_NAME = "法制审核"


def switch(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    CitationReviewTask = apps.get_model("casebank", "CitationReviewTask")
    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        return
    ct, _ = ContentType.objects.get_or_create(app_label="casebank", model="citationreviewtask")
    for link in WorkflowTask.objects.filter(workflow=workflow):
        old = GroupApprovalTask.objects.filter(pk=link.task_id).first()
        if old is None or CitationReviewTask.objects.filter(pk=link.task_id).exists():
            continue
        new = CitationReviewTask.objects.create(name=old.name, active=True, content_type=ct)
        new.groups.set(old.groups.all())
        WorkflowTask.objects.filter(pk=link.pk).update(task_id=new.pk)
        GroupApprovalTask.objects.filter(pk=old.pk).update(active=False)


class Migration(migrations.Migration):
    dependencies = [("casebank", "0004_citation_review_task")]
    operations = [migrations.RunPython(switch, migrations.RunPython.noop)]
