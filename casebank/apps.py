from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasebankConfig(AppConfig):
    name = "casebank"
    verbose_name = _("案例库与法规库")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from .citations import invalidate_cache
        from .models import Article, Law

        post_save.connect(invalidate_cache, sender=Law, dispatch_uid="casebank_law_saved")
        post_delete.connect(invalidate_cache, sender=Law, dispatch_uid="casebank_law_deleted")
        post_save.connect(invalidate_cache, sender=Article, dispatch_uid="casebank_article_saved")
        post_delete.connect(invalidate_cache, sender=Article, dispatch_uid="casebank_article_deleted")
