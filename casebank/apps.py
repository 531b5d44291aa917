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
        register_references()


def _case_texts(page):
    """The decided case at its decision date, the commentary as current material."""
    return ([(name, getattr(page, name) or "", page.decision_date) for name in page.DATED_FIELDS]
            + [(name, getattr(page, name) or "", None) for name in page.CURRENT_FIELDS])


def _benchmark_texts(bm):
    """The benchmark's own texts, then each level's (listed under the level's name)."""
    rows = [("legal_basis_text", bm.legal_basis_text or "", None), ("description", bm.description or "", None)]
    for level in bm.levels.all():
        text = "\n".join(filter(None, [level.circumstances, level.measure, level.notes]))
        rows.append((f"level:{level.pk}", text, None, f"{bm.code} {bm.violation} · {level.name}"))
    return rows


def register_references():
    """The case bank's own citing models (法条联想); courses and exams register theirs."""
    from . import references
    from .models import (
        CasePage,
        DiscretionBenchmark,
        DiscretionBenchmarkBasis,
        DiscretionLevel,
        PowerItem,
        PowerItemBasis,
    )

    references.register(
        CasePage, references.CASE, fields=_case_texts,
        articles=lambda page: [("legal_basis", b.article_id) for b in page.legal_basis.all()],
        label=lambda page: f"{page.title}（{page.case_number}）" if page.case_number else page.title,
        prefetch=["legal_basis"])
    references.register(
        PowerItem, references.POWER_ITEM,
        fields=["legal_basis_text", "procedure", "dispute_resolution", "supervision", "accountability"],
        articles=lambda item: [("basis", b.article_id) for b in item.basis.all()],
        watch=[(PowerItemBasis, "item_id")], prefetch=["basis"])
    references.register(
        DiscretionBenchmark, references.BENCHMARK, fields=_benchmark_texts,
        articles=lambda bm: [("basis", b.article_id) for b in bm.basis.all()],
        watch=[(DiscretionBenchmarkBasis, "benchmark_id"), (DiscretionLevel, "benchmark_id")],
        prefetch=["basis", "levels"])
