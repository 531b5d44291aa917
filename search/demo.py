"""Demo step of the search app: reviewers' synonym groups, then the search
index (``manage.py load_demo`` calls this last, after every other app).

Fast when nothing changed: a fingerprint of the indexed data (per model: row
count, highest primary key, latest modification time where the model has one)
is stored beside the index; when it matches, the index is current and nothing
is rebuilt."""
import hashlib
import json
import time
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import models
from django.db.models import Max
from wagtail.search.backends import get_search_backend

from modelsearch.index import get_indexed_models

from search import analysis
from search.models import DomainTerm, SynonymGroup

DATA = Path(__file__).resolve().parent / "demo_data"
#: Bump when the document format changes, so that the next run rebuilds.
INDEX_FORMAT = "4"
MODIFIED_FIELDS = ("latest_revision_created_at", "last_published_at", "updated_at", "modified", "changed_at")


def _fingerprint():
    parts = {"format": INDEX_FORMAT,
             "dictionary": hashlib.sha256(analysis.DICTIONARY_FILE.read_bytes()).hexdigest()[:16]}
    for model in sorted(get_indexed_models(), key=lambda m: m._meta.label):
        if model._meta.abstract or model._meta.proxy:
            continue
        agg = {"n": models.Count("pk"), "max_pk": Max("pk")}
        names = {f.name for f in model._meta.get_fields()}
        for name in MODIFIED_FIELDS:
            if name in names:
                agg["modified"] = Max(name)
                break
        values = model._default_manager.aggregate(**agg)
        parts[model._meta.label_lower] = [str(values.get(k)) for k in ("n", "max_pk", "modified")]
    parts["terms"] = [DomainTerm.objects.count(), str(DomainTerm.objects.aggregate(m=Max("updated_at"))["m"])]
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def _load_synonyms(stdout):
    created = 0
    for row in json.loads((DATA / "synonyms.json").read_text(encoding="utf-8")):
        _obj, was_created = SynonymGroup.objects.get_or_create(name=row["name"], defaults={"terms": row["terms"]})
        created += was_created
    stdout.write(f"search: synonym groups created {created}")


def ensure_index(stdout, force=False):
    """Build the index when the data changed since the last build; return True if built."""
    backend = get_search_backend()
    store = getattr(backend, "store", None)
    marker = Path(store.root) / "fingerprint.json" if store is not None else None
    current = _fingerprint()
    if not force and marker is not None and marker.exists() and store.current_link.exists():
        if json.loads(marker.read_text()).get("fingerprint") == current:
            stdout.write("search: index is current (nothing to do)")
            return False
    started = time.monotonic()
    out = StringIO()
    call_command("update_index", stdout=out)
    summary = [line for line in out.getvalue().splitlines() if "indexed" in line]
    stdout.write(f"search: index built in {time.monotonic() - started:.1f} s"
                 + (f" ({summary[-1].split(':', 1)[-1].strip()})" if summary else ""))
    if marker is not None:
        marker.write_text(json.dumps({"fingerprint": _fingerprint(), "built_at": time.time()}))
    return True


def load(stdout, password):
    _load_synonyms(stdout)
    analysis.invalidate()
    ensure_index(stdout)
