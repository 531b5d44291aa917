"""Questions in the article references (法条联想, see casebank.references), registered from
ExamsConfig.ready()."""
from django.urls import reverse

from casebank import references
from officers import roles

from .models import Option, Question, QuestionArticle


def texts(question):
    return [("text", question.text or "", None),
            ("options", "\n".join(o.text for o in question.options.all()), None),
            ("explanation", question.explanation or "", None),
            ("reference_answer", question.reference_answer or "", None),
            ("articles", "\n".join(str(ref) for ref in question.article_refs or []), None)]


def register_references():
    """Questions cite articles; only trainers, legal reviewers and administrators see them on an
    article page. The question's own fields are read, which is what its current version freezes
    (publish_version runs after every edit and may update the version row after the question's
    post_save, so reading the version could lag one edit behind)."""
    references.register(
        Question, references.QUESTION, fields=texts,
        articles=lambda q: [("article_links", link.article_id) for link in q.article_links.all()],
        label=lambda q: f"#{q.pk} {q.text[:60]}",
        url=lambda q: reverse("exams:question_detail", args=[q.pk]),
        visible_to=lambda user: roles.has_role(user, roles.TRAINER, roles.LEGAL_REVIEWER),
        watch=[(QuestionArticle, "question_id"), (Option, "question_id")],
        prefetch=["options", "article_links"])
