"""Signals of the case bank, connected from ``CasebankConfig.ready()``: the citation parser's
law directory is rebuilt when laws or articles change, and the case bank's own citing models
are registered for the article index (法条联想; courses and exams register theirs)."""
from django.db.models.signals import post_delete, post_save

from . import references
from .citations import invalidate_cache
from .library import Article, Law, PowerItem, PowerItemBasis
from .pages import CasePage, DiscretionBenchmark, DiscretionBenchmarkBasis, DiscretionLevel


def _benchmark_texts(bm):
    """The benchmark's own texts, then each level's (listed under the level's name)."""
    rows = bm.citation_field_texts()
    for level in bm.levels.all():
        text = "\n".join(filter(None, [level.circumstances, level.measure, level.notes]))
        rows.append((f"level:{level.pk}", text, None, f"{bm.code} {bm.violation} · {level.name}"))
    return rows


def register():
    for model in (Law, Article):
        name = model._meta.model_name
        post_save.connect(invalidate_cache, sender=model, dispatch_uid=f"casebank_{name}_saved")
        post_delete.connect(invalidate_cache, sender=model, dispatch_uid=f"casebank_{name}_deleted")
    register_references()


def register_references():
    """The case bank's own citing models: the fields each declares (CitedContent), plus the
    articles chosen in its legal-basis panel."""
    references.register(
        CasePage, references.CASE, fields=CasePage.citation_field_texts,
        articles=lambda page: [("legal_basis", b.article_id) for b in page.legal_basis.all()],
        label=lambda page: f"{page.title}（{page.case_number}）" if page.case_number else page.title,
        prefetch=["legal_basis"])
    references.register(
        PowerItem, references.POWER_ITEM, fields=PowerItem.citation_field_texts,
        articles=lambda item: [("basis", b.article_id) for b in item.basis.all()],
        watch=[(PowerItemBasis, "item_id")], prefetch=["basis"])
    references.register(
        DiscretionBenchmark, references.BENCHMARK, fields=_benchmark_texts,
        articles=lambda bm: [("basis", b.article_id) for b in bm.basis.all()],
        watch=[(DiscretionBenchmarkBasis, "benchmark_id"), (DiscretionLevel, "benchmark_id")],
        prefetch=["basis", "levels"])
