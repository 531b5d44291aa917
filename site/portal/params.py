"""Reading a database id (or another whole number: a year, a difficulty) from a query parameter:
the one rule for ``?unit=``, ``?course=``, ``?year=`` and the like. Imports no app, so every app
may use it."""

#: Digits in the longest id read: 18 always fit a 64-bit database integer.
MAX_ID_DIGITS = 18


def id_param(value):
    """The id a parameter names as an int, or None for junk (empty, signs, non-ASCII digits such
    as "²", or more digits than any database integer holds)."""
    value = str(value or "")
    if not (value.isascii() and value.isdigit()) or len(value) > MAX_ID_DIGITS:
        return None
    return int(value)


def from_param(queryset, value):
    """The object of ``queryset`` a parameter names, or None for junk or an id not in it (so a
    queryset already limited to what the viewer may see keeps that limit)."""
    pk = id_param(value)
    return queryset.filter(pk=pk).first() if pk else None
