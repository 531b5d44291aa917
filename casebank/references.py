"""法条联想: which cases, power-list items, benchmarks, lessons and questions cite which article.

The index is the ``ArticleReference`` table. Each app says which of its models cite articles by
calling :func:`register` from its own ``AppConfig.ready()``; the case bank never imports courses or
exams. A registered object's rows are rebuilt whenever it is saved (pages: when published) and
removed when it is deleted or unpublished::

    from casebank import references

    references.register(
        LessonPage, "lesson",
        fields=lambda lesson: [("body", text, None) for text in lesson.markdown_texts()],
        label=lambda lesson: lesson.title,
        url=lambda lesson: lesson.url,
    )

Arguments of ``register``:

``fields``
    Names of text fields whose citations count (judged at ``as_of``), or a callable
    ``obj → iterable of (field, text, as_of)`` or ``(field, text, as_of, label)`` tuples, the label
    overriding the object's own for citations found in that text (a benchmark level, say).
``as_of``
    ``obj → date`` the named ``fields`` speak for (a case's decision date); None: current material.
``articles``
    ``obj → iterable of (field, Article)``: articles chosen in legal-basis panels.
``label`` / ``url``
    ``obj → str``; by default ``str(obj)`` and ``get_absolute_url()`` (pages: ``page.url``).
``visible_to``
    ``user → bool``: who may see this kind on an article page (default: every signed-in user).
``watch``
    ``[(child_model, "parent_id")]``: saving or deleting such a row rebuilds its parent (the
    inline legal-basis rows of a ClusterableModel are saved after the parent's ``post_save``).
``prefetch``
    ``prefetch_related`` lookups for ``rebuild_all`` (the relations ``fields``/``articles`` read).

Rebuilds run when the transaction commits (once per object however many rows were saved), and read
the object again from the database, so they see what was committed: for pages, the live version.
Wagtail pages count only while live. ``rebuild_all()`` (command ``rebuild_references``) rebuilds
everything and is idempotent.
"""
from dataclasses import dataclass, field
from typing import Callable

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from .citations import find_citations
from .library import Article, ArticleReference

CASE = "case"
POWER_ITEM = "power_item"
BENCHMARK = "benchmark"
LESSON = "lesson"
QUESTION = "question"
#: Kinds in the order an article page lists them, with their headings.
KIND_LABELS = {
    CASE: _("案例"),
    POWER_ITEM: _("权力清单事项"),
    BENCHMARK: _("裁量基准与裁量等级"),
    LESSON: _("课时"),
    QUESTION: _("试题"),
}


@dataclass
class Source:
    """One registered citing model."""

    model: type
    kind: str
    fields: object = ()
    as_of: Callable | None = None
    articles: Callable | None = None
    label: Callable | None = None
    url: Callable | None = None
    visible_to: Callable | None = None
    watch: list = field(default_factory=list)
    prefetch: list = field(default_factory=list)

    @property
    def is_page(self):
        return issubclass(self.model, Page)

    def texts(self, obj):
        """[(field, text, as_of, label or None)] of the object."""
        if callable(self.fields):
            rows = self.fields(obj)
        else:
            day = self.as_of(obj) if self.as_of else None
            rows = [(name, getattr(obj, name, "") or "", day) for name in self.fields]
        return [(row[0], row[1], row[2], row[3] if len(row) > 3 else None) for row in rows]

    def label_of(self, obj):
        return str(self.label(obj) if self.label else obj)

    def url_of(self, obj):
        if self.url:
            return self.url(obj) or ""
        if self.is_page:
            return obj.url or ""
        return obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""

    def may_see(self, user):
        return self.visible_to(user) if self.visible_to else bool(getattr(user, "is_authenticated", False))


_SOURCES: dict[type, Source] = {}


def register(model, kind, *, fields=(), as_of=None, articles=None, label=None, url=None, visible_to=None,
             watch=(), prefetch=()):
    """Declare that ``model`` cites articles (see the module docstring) and connect its signals."""
    source = Source(model, kind, fields, as_of, articles, label, url, visible_to, list(watch), list(prefetch))
    _SOURCES[model] = source
    uid = f"casebank.references.{model._meta.label_lower}"

    def on_change(sender, instance, **kwargs):
        schedule_rebuild(model, instance.pk)

    if source.is_page:
        page_published.connect(on_change, sender=model, weak=False, dispatch_uid=uid + ".published")
        page_unpublished.connect(on_change, sender=model, weak=False, dispatch_uid=uid + ".unpublished")
    else:
        post_save.connect(on_change, sender=model, weak=False, dispatch_uid=uid + ".saved")
    post_delete.connect(on_change, sender=model, weak=False, dispatch_uid=uid + ".deleted")
    for child_model, parent_attname in source.watch:
        def on_child_change(sender, instance, _attname=parent_attname, **kwargs):
            parent_id = getattr(instance, _attname, None)
            if parent_id is not None:
                schedule_rebuild(model, parent_id)

        child_uid = f"{uid}.{child_model._meta.label_lower}"
        post_save.connect(on_child_change, sender=child_model, weak=False, dispatch_uid=child_uid + ".saved")
        post_delete.connect(on_child_change, sender=child_model, weak=False, dispatch_uid=child_uid + ".deleted")
    return source


def source_for(model):
    """The registration of a model (or of its nearest registered parent class), or None."""
    for klass in model.__mro__:
        if klass in _SOURCES:
            return _SOURCES[klass]
    return None


def sources():
    return list(_SOURCES.values())


def schedule_rebuild(model, pk):
    """Rebuild the rows of one object when the current transaction commits (at once outside one);
    several requests for the same object in one transaction give one rebuild."""
    key = (model._meta.label_lower, str(pk))
    connection = transaction.get_connection()
    # Django keeps the pending callbacks as (savepoint ids, callable, robust) tuples; a rolled-back
    # savepoint drops its own, so looking there never skips a rebuild that is still needed. A callback
    # that already ran (tests run them early) no longer counts.
    if connection.in_atomic_block and any(getattr(entry[1], "reference_key", None) == key
                                          and not entry[1].done for entry in connection.run_on_commit):
        return

    def run():
        run.done = True
        obj = model._default_manager.filter(pk=pk).first()
        if obj is None:
            delete_references(model, pk)
        else:
            rebuild_references(obj)

    run.reference_key, run.done = key, False
    transaction.on_commit(run)


def delete_references(model, pk):
    ct = ContentType.objects.get_for_model(model)
    return ArticleReference.objects.filter(content_type=ct, object_id=str(pk)).delete()[0]


def _citations(obj, source):
    """[(field, label or None, article id or (law pk, number))] of one object: panel rows by id,
    citations in its texts by law and number (resolved in bulk by :func:`_article_ids`)."""
    found = []
    if source.articles:
        for field_name, article in source.articles(obj):
            if article is not None:
                found.append((field_name, None, getattr(article, "pk", article)))
    for field_name, text, as_of, row_label in source.texts(obj):
        if not text or not text.strip():
            continue
        # Without fetching articles the parser makes no query; the numbers it accepts exist.
        for citation in find_citations(text, as_of=as_of, fetch_articles=False):
            if citation.law is not None and citation.article is not None:
                found.append((field_name, str(row_label) if row_label else None,
                              (citation.law.pk, citation.article)))
    return found


def _article_ids(pairs, chunk=200):
    """{(law pk, number): article id} (the first article of that number), a query per ``chunk`` laws."""
    by_law = {}
    for law_pk, number in pairs:
        by_law.setdefault(law_pk, set()).add(number)
    law_pks = sorted(by_law)
    out = {}
    for i in range(0, len(law_pks), chunk):
        cond = Q()
        for law_pk in law_pks[i:i + chunk]:
            cond |= Q(law_id=law_pk, number__in=sorted(by_law[law_pk]))
        rows = Article.objects.filter(cond).order_by("law_id", "number", "-position").values_list(
            "law_id", "number", "pk")
        for law_pk, number, pk in rows:
            out[(law_pk, number)] = pk  # the last one wins: the smallest position
    return out


def _rows(objects, source):
    """The ArticleReference rows (unsaved) the objects should have now."""
    ct = ContentType.objects.get_for_model(source.model)
    found = [(obj, _citations(obj, source)) for obj in objects
             if not (source.is_page and not obj.live)]
    ids = _article_ids({ref for _obj, cites in found for _f, _l, ref in cites if isinstance(ref, tuple)})
    rows = {}
    for obj, cites in found:
        label, url = source.label_of(obj)[:255], source.url_of(obj)[:255]
        for field_name, row_label, ref in cites:
            article_id = ids.get(ref) if isinstance(ref, tuple) else ref
            key = (article_id, obj.pk, field_name[:60])
            if article_id is not None and key not in rows:
                rows[key] = ArticleReference(article_id=article_id, content_type=ct, object_id=str(obj.pk),
                                             kind=source.kind, label=(row_label or label)[:255], url=url,
                                             field=key[2])
    return list(rows.values())


def collect(obj, source=None):
    """The ArticleReference rows (unsaved) an object should have now."""
    source = source or source_for(type(obj))
    return _rows([obj], source) if source is not None else []


@transaction.atomic
def rebuild_references(obj):
    """Replace the ArticleReference rows of one object; returns how many it has now."""
    source = source_for(type(obj))
    if source is None:
        return 0
    rows = collect(obj, source)
    ct = ContentType.objects.get_for_model(type(obj))
    ArticleReference.objects.filter(content_type=ct, object_id=str(obj.pk)).delete()
    ArticleReference.objects.bulk_create(rows, batch_size=500)
    return len(rows)


@transaction.atomic
def rebuild_all(stdout=None):
    """Rebuild every registered object's rows (pages: live ones only); returns {kind: rows}."""
    counts = {}
    for source in sources():
        ct = ContentType.objects.get_for_model(source.model)
        ArticleReference.objects.filter(content_type=ct).delete()
        qs = source.model._default_manager.all()
        if source.is_page:
            qs = qs.live()
        if source.prefetch:
            qs = qs.prefetch_related(*source.prefetch)
        rows = _rows(qs.order_by("pk"), source)
        ArticleReference.objects.bulk_create(rows, batch_size=500)
        counts[source.kind] = counts.get(source.kind, 0) + len(rows)
        if stdout is not None:
            stdout.write(f"  {source.model._meta.label}: {len(rows)}")
    return counts


@dataclass
class CitingObject:
    """One object citing an article, for the article page."""

    label: str
    url: str
    fields: list


def cited_by(articles, user):
    """[(kind, heading, [CitingObject])] of the objects citing any of ``articles`` that ``user`` may
    see, in KIND_LABELS order. Pages count only while live. Three queries at most."""
    refs = list(ArticleReference.objects.filter(article__in=articles).order_by("kind", "label", "object_id"))
    if not refs:
        return []
    by_ct = {source.model: source for source in sources()}
    cts = ContentType.objects.get_for_models(*by_ct) if by_ct else {}
    source_by_ct = {ct.pk: by_ct[model] for model, ct in cts.items()}
    page_ids = {int(r.object_id) for r in refs
                if r.content_type_id in source_by_ct and source_by_ct[r.content_type_id].is_page}
    live = set(Page.objects.live().filter(pk__in=page_ids).values_list("pk", flat=True)) if page_ids else set()
    allowed = {}
    grouped = {}
    for ref in refs:
        source = source_by_ct.get(ref.content_type_id)
        if source is None:
            continue
        if source.kind not in allowed:
            allowed[source.kind] = source.may_see(user)
        if not allowed[source.kind] or (source.is_page and int(ref.object_id) not in live):
            continue
        objects = grouped.setdefault(ref.kind, {})
        key = (ref.content_type_id, ref.object_id, ref.label)
        if key not in objects:
            objects[key] = CitingObject(ref.label, ref.url, [])
        if ref.field not in objects[key].fields:
            objects[key].fields.append(ref.field)
    order = list(KIND_LABELS)
    kinds = sorted(grouped, key=lambda k: (order.index(k) if k in order else len(order), k))
    return [(kind, KIND_LABELS.get(kind, kind), list(grouped[kind].values())) for kind in kinds]
