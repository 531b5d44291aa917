"""Keep the analyzer's view of reviewers' vocabulary current in this process."""
from django.db.models.signals import post_delete, post_save

from search import analysis
from search.models import DomainTerm, SynonymGroup


def _vocabulary_changed(sender, **kwargs):
    analysis.invalidate()


def register():
    for model in (SynonymGroup, DomainTerm):
        post_save.connect(_vocabulary_changed, sender=model, dispatch_uid=f"search-vocab-save-{model.__name__}")
        post_delete.connect(_vocabulary_changed, sender=model, dispatch_uid=f"search-vocab-del-{model.__name__}")
