from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exams"
    verbose_name = _("考试")

    def ready(self):
        register_references()


def register_references():
    """Questions cite articles (法条联想, see casebank.references); only trainers, legal reviewers and
    administrators see them on an article page. The question's own fields are read, which is what its
    current version freezes (publish_version runs after every edit and may update the version row
    after the question's post_save, so reading the version could lag one edit behind)."""
    from casebank import references
    from django.urls import reverse
    from officers import roles

    from .models import Option, Question, QuestionArticle

    def texts(q):
        return [("text", q.text or "", None),
                ("options", "\n".join(o.text for o in q.options.all()), None),
                ("explanation", q.explanation or "", None),
                ("reference_answer", q.reference_answer or "", None),
                ("articles", "\n".join(str(ref) for ref in q.article_refs or []), None)]

    references.register(
        Question, references.QUESTION, fields=texts,
        articles=lambda q: [("article_links", link.article_id) for link in q.article_links.all()],
        label=lambda q: f"#{q.pk} {q.text[:60]}",
        url=lambda q: reverse("exams:question_detail", args=[q.pk]),
        visible_to=lambda user: roles.has_role(user, roles.TRAINER, roles.LEGAL_REVIEWER),
        watch=[(QuestionArticle, "question_id"), (Option, "question_id")],
        prefetch=["options", "article_links"])
