"""Keep the analyzer's view of reviewers' vocabulary current in this process; after ``migrate``,
complete the PostgreSQL match rows of entries indexed before the match table existed."""
from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save

from search import analysis
from search.backends import pgmatch
from search.models import DomainTerm, SynonymGroup


def _vocabulary_changed(sender, **kwargs):
    analysis.invalidate()


def _complete_match_rows(sender, using="default", **kwargs):
    """The filter values of match rows that have none, read from their objects (PostgreSQL only)."""
    connection = connections[using]
    if connection.vendor == "postgresql" and pgmatch.MATCH_TABLE in connection.introspection.table_names():
        pgmatch.fill_match_rows(connection)


def register(app_config):
    post_migrate.connect(_complete_match_rows, sender=app_config, dispatch_uid="search-match-rows")
    for model in (SynonymGroup, DomainTerm):
        post_save.connect(_vocabulary_changed, sender=model, dispatch_uid=f"search-vocab-save-{model.__name__}")
        post_delete.connect(_vocabulary_changed, sender=model, dispatch_uid=f"search-vocab-del-{model.__name__}")
