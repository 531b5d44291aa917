"""How models become Whoosh documents.

One Whoosh index holds every indexed model. Field names are dynamic (glob
fields of the schema), derived from ``search_fields`` as Wagtail's
Elasticsearch mapping derives them:

    id        "<root model label>:<pk>" (unique)
    pk        the primary key as text (stored, column)
    pkn       the primary key as a number when it is an integer (column, for ordering)
    ct        every content type of the object: "casebank.casepage wagtailcore.page"
    fnull     names of the filter fields whose value is empty
    all       every SearchField (related ones too), each token weighted by its
              field's boost: one term per word answers searches on all fields
    pairs     the same text as pairs of neighbouring words ("占道 经营"), for
              phrases: no word positions are stored, so posting lists stay small
    t_<col>   a SearchField, analysed by the Chinese analyzer (RelatedFields: t_<rel>.<col>)
    a_<col>   an AutocompleteField, edge n-grams
    fi_<col>  an integer-like FilterField (int, bool, date, datetime, time) as int64
    ff_<col>  a float/decimal FilterField
    fs_<col>  any other FilterField as an exact keyword
    fm_<col>  a many-valued FilterField (many-to-many, tags) as keywords

<col> is the attribute name, prefixed with "<app>_<model>__" when the field is
defined on a subclass of the root model (so that two subclasses may use the
same name with different types).
"""
import datetime
import decimal
from functools import lru_cache

from django.db import models
from django.utils import timezone
from whoosh import fields as wf

from modelsearch.backends.base import get_model_root
from modelsearch.index import AutocompleteField, FilterField, RelatedFields, SearchField, get_indexed_models

from search.analysis import autocomplete_analyzer, pair_analyzer, text_analyzer, weighted_value

INT_TYPES = {
    "AutoField", "BigAutoField", "SmallAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
    "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField", "BooleanField",
    "NullBooleanField", "DateField", "DateTimeField", "TimeField",
}
FLOAT_TYPES = {"FloatField", "DecimalField"}
EPOCH = datetime.datetime(1970, 1, 1)
#: Models whose SearchFields go into the catch-all field only (no per-field ``t_`` copies):
#: the statute articles, half of the index and never searched field by field (the admin
#: searches them in the database). A ``fields=[…]`` search on them searches the whole
#: document. Halves the postings an article makes, and so its indexing time.
CATCH_ALL_ONLY = {"casebank.article"}


def catch_all_only(model):
    return model_label(model) in CATCH_ALL_ONLY


def make_schema():
    schema = wf.Schema(
        id=wf.ID(unique=True, stored=True),
        pk=wf.ID(stored=True, sortable=True),
        pkn=wf.NUMERIC(numtype=int, bits=64, signed=True, sortable=True, shift_step=64),
        ct=wf.KEYWORD(lowercase=False, commas=False, scorable=False),
        fnull=wf.KEYWORD(lowercase=False, commas=False, scorable=False),
        all=wf.TEXT(analyzer=text_analyzer(), phrase=False),
        pairs=wf.TEXT(analyzer=pair_analyzer(), phrase=False),
    )
    schema.add("t_*", wf.TEXT(analyzer=text_analyzer(), phrase=False), glob=True)
    schema.add("a_*", wf.TEXT(analyzer=autocomplete_analyzer(), phrase=False), glob=True)
    schema.add("fi_*", wf.NUMERIC(numtype=int, bits=64, signed=True, sortable=True, shift_step=64), glob=True)
    schema.add("ff_*", wf.NUMERIC(numtype=float, sortable=True, shift_step=64), glob=True)
    schema.add("fs_*", wf.ID(sortable=True), glob=True)
    schema.add("fm_*", wf.KEYWORD(lowercase=False, commas=True, scorable=False), glob=True)
    return schema


def model_label(model):
    return f"{model._meta.app_label}.{model.__name__}".lower()


def content_types(model):
    """The model's label and those of its indexed concrete ancestors."""
    labels = [model_label(model)]
    parent = model.indexed_get_parent() if hasattr(model, "indexed_get_parent") else None
    while parent is not None:
        labels.append(model_label(parent))
        parent = parent.indexed_get_parent()
    return labels


def doc_id(model, pk):
    return f"{model_label(get_model_root(model))}:{pk}"


def column_name(model, field):
    """Name of a search_fields entry in the document (without the type prefix)."""
    root = get_model_root(model)
    definition = field.get_definition_model(model)
    prefix = ""
    if definition is not None and definition is not root and issubclass(root, models.Model):
        prefix = f"{definition._meta.app_label}_{definition.__name__}__".lower()
    if isinstance(field, RelatedFields):
        return prefix + field.field_name
    return prefix + field.get_attname(model)


def filter_kind(model, field, value=None):
    """'fi', 'ff', 'fs' or 'fm' for a FilterField."""
    try:
        django_field = field.get_field(model)
    except Exception:  # noqa: BLE001 - callables and properties
        django_field = None
    if django_field is not None and (django_field.many_to_many or django_field.one_to_many):
        return "fm"
    if isinstance(value, (models.Manager, models.QuerySet, list, tuple, set)):
        return "fm"
    kind = field.get_type(model)
    if kind in INT_TYPES:
        return "fi"
    if kind in FLOAT_TYPES:
        return "ff"
    return "fs"


def encode_int(value):
    """int64 for ints, bools, dates, datetimes (µs since epoch, UTC) and times (µs since midnight)."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value, datetime.timezone.utc)
        delta = value - EPOCH
        return (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    if isinstance(value, datetime.date):
        return encode_int(datetime.datetime(value.year, value.month, value.day))
    if isinstance(value, datetime.time):
        return ((value.hour * 60 + value.minute) * 60 + value.second) * 1_000_000 + value.microsecond
    return int(value)


def decode_int(value, internal_type):
    if value is None:
        return None
    if internal_type in ("BooleanField", "NullBooleanField"):
        return bool(value)
    if internal_type == "DateField":
        return (EPOCH + datetime.timedelta(microseconds=value)).date()
    if internal_type == "DateTimeField":
        dt = EPOCH + datetime.timedelta(microseconds=value)
        return dt.replace(tzinfo=datetime.timezone.utc)
    if internal_type == "TimeField":
        secs, micro = divmod(value, 1_000_000)
        return datetime.time(secs // 3600, (secs // 60) % 60, secs % 60, micro)
    return value


def encode_filter_value(kind, value):
    if isinstance(value, models.Model):
        value = value.pk
    if kind == "fi":
        return encode_int(value)
    if kind == "ff":
        return float(value)
    if kind == "fm":
        return str(value.pk if isinstance(value, models.Model) else value)
    return str(value)


def _text(value):
    """Flatten a search field's value into text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (list, tuple, set)):
        return "\n".join(_text(v) for v in value)
    if isinstance(value, (models.Manager, models.QuerySet)):
        return "\n".join(str(v) for v in value.all())
    if isinstance(value, (datetime.date, datetime.time, decimal.Decimal, int, float)):
        return str(value)
    return str(value)


def _add_text(doc, name, text):
    if text:
        doc[name] = doc[name] + "\n" + text if name in doc else text


def _related_values(field, obj):
    value = field.get_value(obj)
    if value is None:
        return []
    if isinstance(value, (models.Manager, models.QuerySet)):
        return list(value.all())
    if isinstance(value, models.Model):
        return [value]
    return []


def _collect(doc, nulls, model, fields, obj, prefix, top_level, chunks=None, boost=1.0, copies=True):
    for field in fields:
        if isinstance(field, RelatedFields):
            name = prefix + column_name(model, field) + "."
            try:
                related_model = field.get_field(model).related_model
            except Exception:  # noqa: BLE001
                continue
            for item in _related_values(field, obj):
                _collect(doc, nulls, related_model, field.fields, item, name, False, chunks, boost, copies)
            continue
        if isinstance(field, FilterField):
            if not top_level:
                # Filters across relations are applied by the database (exact
                # semantics for several conditions on the same related row).
                continue
            value = field.get_value(obj)
            name = column_name(model, field)
            kind = filter_kind(model, field, value)
            if kind == "fm":
                if isinstance(value, (models.Manager, models.QuerySet)):
                    values = list(value.values_list("pk", flat=True))
                elif isinstance(value, (list, tuple, set)):
                    values = [v.pk if isinstance(v, models.Model) else v for v in value]
                elif value is None:
                    values = []
                else:
                    values = [value]
                if values:
                    doc["fm_" + name] = ",".join(str(v).replace(",", " ") for v in values)
                else:
                    nulls.append(name)
            elif value is None or value == "" and kind != "fs":
                nulls.append(name)
            else:
                doc[f"{kind}_{name}"] = encode_filter_value(kind, value)
            continue
        if isinstance(field, (SearchField, AutocompleteField)):
            value = field.get_value(obj)
            text = _text(value)
            name = prefix + column_name(model, field)
            if isinstance(field, SearchField):
                if copies:
                    _add_text(doc, "t_" + name, text)
                if chunks is not None and text:
                    chunks.append((text, boost * float(field.boost or 1.0)))
            else:
                _add_text(doc, "a_" + name, text)


def build_document(model, obj):
    """The Whoosh document of ``obj`` indexed as ``model`` (its most specific indexed class)."""
    doc = {
        "id": doc_id(model, obj.pk),
        "pk": str(obj.pk),
        "ct": " ".join(content_types(model)),
    }
    if isinstance(obj.pk, int):
        doc["pkn"] = obj.pk
    nulls = []
    chunks = []
    _collect(doc, nulls, model, model.get_search_fields(), obj, "", True, chunks,
             copies=not catch_all_only(model))
    if chunks:
        doc["all"] = doc["pairs"] = weighted_value(chunks)
    if nulls:
        doc["fnull"] = " ".join(nulls)
    return doc


# --- field lists used by queries ------------------------------------------------

def _walk_text_fields(model, fields, prefix, boost, out, autocomplete):
    for field in fields:
        if isinstance(field, RelatedFields):
            try:
                related_model = field.get_field(model).related_model
            except Exception:  # noqa: BLE001
                continue
            _walk_text_fields(related_model, field.fields, prefix + column_name(model, field) + ".", boost, out,
                              autocomplete)
        elif autocomplete and isinstance(field, AutocompleteField):
            out.setdefault("a_" + prefix + column_name(model, field), 1.0)
        elif not autocomplete and isinstance(field, SearchField):
            b = boost * float(field.boost or 1.0)
            name = "t_" + prefix + column_name(model, field)
            out[name] = max(out.get(name, 0.0), b)


@lru_cache(maxsize=512)
def _text_fields_cached(model, autocomplete, names):
    out = {}
    models_to_walk = [model] + [m for m in get_indexed_models() if m is not model and issubclass(m, model)]
    for m in models_to_walk:
        fields = m.get_search_fields()
        if names is not None:
            fields = [f for f in fields if not isinstance(f, RelatedFields) and f.field_name in names]
            if m is not model:
                continue
        _walk_text_fields(m, fields, "", 1.0, out, autocomplete)
    return tuple(out.items())


def text_fields(model, autocomplete=False, names=None):
    """{whoosh field name: boost} of the text to search for ``model`` and its indexed subclasses."""
    return dict(_text_fields_cached(model, autocomplete, tuple(names) if names is not None else None))


def filter_field_info(model, field):
    """(whoosh field name, kind, internal type) of a top-level FilterField of ``model``."""
    kind = filter_kind(model, field)
    name = column_name(model, field)
    try:
        internal = field.get_type(model)
    except Exception:  # noqa: BLE001
        internal = "CharField"
    return f"{kind}_{name}", kind, internal, name


# Numeric filter fields are indexed with a single precision tier (shift_step=64):
# one term per value keeps indexing fast; range queries enumerate the terms in
# range, which is cheap for the low-cardinality fields filters use.
