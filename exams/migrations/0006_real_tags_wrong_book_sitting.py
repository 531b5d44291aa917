"""Question tags become real tags (taggit, like case tags), converted from the old
comma/space separated text; the wrong-question book remembers the sitting of each
entry's latest wrong answer (its exam's review policy decides when the book shows
it); ``Exam.exam_paper`` goes (papers are always kept: marking and analysis need
them, so the switch did nothing)."""
import re

import django.db.models.deletion
import modelcluster.contrib.taggit
import modelcluster.fields
from django.db import migrations, models
from django.db.models import OuterRef, Subquery
from django.utils.text import slugify

SEPARATORS = re.compile(r"[,，;；、\s]+")


def _tag(Tag, name):
    tag = Tag.objects.filter(name=name).first()
    if tag is not None:
        return tag
    base = slugify(name, allow_unicode=True) or "tag"
    slug, i = base, 1
    while Tag.objects.filter(slug=slug).exists():
        slug, i = f"{base}_{i}", i + 1
    return Tag.objects.create(name=name, slug=slug)


def tags_from_text(apps, schema_editor):
    Question = apps.get_model("exams", "Question")
    QuestionTag = apps.get_model("exams", "QuestionTag")
    Tag = apps.get_model("taggit", "Tag")
    cache = {}
    links = []
    for qid, text in Question.objects.exclude(tags_text="").values_list("pk", "tags_text").iterator():
        names = list(dict.fromkeys(n.strip()[:100] for n in SEPARATORS.split(text or "") if n.strip()))
        for name in names:
            if name not in cache:
                cache[name] = _tag(Tag, name)
            links.append(QuestionTag(content_object_id=qid, tag=cache[name]))
    QuestionTag.objects.bulk_create(links, batch_size=500)


def tags_to_text(apps, schema_editor):
    Question = apps.get_model("exams", "Question")
    QuestionTag = apps.get_model("exams", "QuestionTag")
    names = {}
    for qid, name in QuestionTag.objects.values_list("content_object_id", "tag__name"):
        names.setdefault(qid, []).append(name)
    for qid, tags in names.items():
        Question.objects.filter(pk=qid).update(tags_text=",".join(sorted(tags))[:255])


def wrong_items_sitting(apps, schema_editor):
    WrongItem = apps.get_model("exams", "WrongItem")
    Answer = apps.get_model("exams", "Answer")
    latest_wrong = (Answer.objects.filter(sitting__officer_id=OuterRef("officer_id"), question_id=OuterRef("question_id"),
                                          correct=False)
                    .order_by("-sitting__ended_at", "-sitting_id").values("sitting_id")[:1])
    WrongItem.objects.update(sitting_id=Subquery(latest_wrong))


class Migration(migrations.Migration):

    dependencies = [
        ("exams", "0005_version_cascade"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        # Tags: text → taggit.
        migrations.RenameField(model_name="question", old_name="tags", new_name="tags_text"),
        migrations.CreateModel(
            name="QuestionTag",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("content_object", modelcluster.fields.ParentalKey(
                    on_delete=django.db.models.deletion.CASCADE, related_name="tagged_items", to="exams.question")),
                ("tag", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                          related_name="%(app_label)s_%(class)s_items", to="taggit.tag")),
            ],
            options={"verbose_name": "试题标签", "verbose_name_plural": "试题标签"},
        ),
        migrations.AddField(
            model_name="question",
            name="tags",
            field=modelcluster.contrib.taggit.ClusterTaggableManager(
                blank=True, help_text="每个标签单独输入；抽题规则和题库筛选按标签完全匹配", through="exams.QuestionTag",
                to="taggit.Tag", verbose_name="标签"),
        ),
        migrations.RunPython(tags_from_text, tags_to_text),
        migrations.RemoveField(model_name="question", name="tags_text"),
        migrations.AlterField(
            model_name="drawrule",
            name="tag",
            field=models.CharField(blank=True, help_text="只抽带有这个标签的试题（完全匹配）", max_length=100,
                                   verbose_name="标签"),
        ),
        # The wrong-question book and the review policy.
        migrations.AddField(
            model_name="wrongitem",
            name="sitting",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                    related_name="+", to="exams.sitting"),
        ),
        migrations.RunPython(wrong_items_sitting, migrations.RunPython.noop),
        # Switches: exam_paper did nothing; eligible_tiers now does.
        migrations.RemoveField(model_name="exam", name="exam_paper"),
        migrations.AlterField(
            model_name="exam",
            name="eligible_tiers",
            field=models.JSONField(blank=True, default=list, help_text="只有培训层级在其中的人员可以参加；留空为全部",
                                   verbose_name="适用培训层级"),
        ),
    ]
