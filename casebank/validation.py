"""Validation of discretion benchmarks: ranges within the law, no overlaps,
no negative amounts. Every error carries a code a test can match."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def validate_level_range(fine_min, fine_max):
    """One level's own range: non-negative, min ≤ max."""
    errors = []
    for value in (fine_min, fine_max):
        if value is not None and value < 0:
            errors.append(ValidationError(_("罚款金额不得为负数。"), code="negative_amount"))
            break
    if fine_min is not None and fine_max is not None and fine_min > fine_max:
        errors.append(ValidationError(
            _("罚款下限 %(min)s 元高于上限 %(max)s 元。"), code="range_inverted",
            params={"min": fine_min, "max": fine_max}))
    if errors:
        raise ValidationError(errors)


def validate_benchmark_levels(benchmark, levels):
    """Check a benchmark's levels together; raises ValidationError listing every problem.

    ``levels`` are DiscretionLevel objects (saved or not), in their order."""
    errors = []
    law_min, law_max = benchmark.article_fine_min, benchmark.article_fine_max
    if law_min is not None and law_max is not None and law_min > law_max:
        errors.append(ValidationError(_("法定罚款上限不得低于下限。"), code="article_range_inverted"))
    ranged = []
    for level in levels:
        try:
            validate_level_range(level.fine_min, level.fine_max)
        except ValidationError as exc:
            for e in exc.error_list:
                errors.append(ValidationError(
                    _("等级“%(name)s”：%(msg)s"), code=e.code,
                    params={"name": level.name, "msg": e.message % (e.params or {})}))
            continue
        if law_min is not None and level.fine_min is not None and level.fine_min < law_min:
            errors.append(ValidationError(
                _("等级“%(name)s”的罚款下限 %(value)s 元低于法定下限 %(limit)s 元。"), code="below_article_min",
                params={"name": level.name, "value": level.fine_min, "limit": law_min}))
        if law_max is not None and level.fine_max is not None and level.fine_max > law_max:
            errors.append(ValidationError(
                _("等级“%(name)s”的罚款上限 %(value)s 元超过法定上限 %(limit)s 元。"), code="above_article_max",
                params={"name": level.name, "value": level.fine_max, "limit": law_max}))
        if level.fine_min is not None and level.fine_max is not None:
            ranged.append(level)
    # Levels must not overlap: each range ends before (or where) the next begins.
    ordered = sorted(ranged, key=lambda lv: (lv.fine_min, lv.fine_max))
    for a, b in zip(ordered, ordered[1:]):
        if b.fine_min < a.fine_max:
            errors.append(ValidationError(
                _("等级“%(a)s”（%(amin)s–%(amax)s 元）与“%(b)s”（%(bmin)s–%(bmax)s 元）的罚款幅度重叠。"),
                code="levels_overlap",
                params={"a": a.name, "amin": a.fine_min, "amax": a.fine_max,
                        "b": b.name, "bmin": b.fine_min, "bmax": b.fine_max}))
    names = [lv.name for lv in levels]
    if len(set(names)) != len(names):
        errors.append(ValidationError(_("等级名称不得重复。"), code="duplicate_level_name"))
    if errors:
        raise ValidationError(errors)
