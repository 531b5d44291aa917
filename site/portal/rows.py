"""Hand-written SQL for the hottest requests, with Django's own conversions.

An answer save is sent by every officer in an exam every few seconds; there the ORM's work
of building each query (a few hundred microseconds per statement) costs more than the
database does. The few statements on that path (the session, the signed-in user with their
profile and roles, the answer line, its guarded UPDATEs) are written once per database vendor
from the models' own table and column names (``Statement``), and their rows become model
instances through the same field converters the ORM applies (``Columns``), so values read
here equal what a queryset would return. Everything else uses the ORM.

Imports no app, so every app may use it.
"""
from django.db import connections
from django.db.models.expressions import Col


class Statement:
    """One SQL statement, its text written by ``write(quote_name)`` on first use for each
    database vendor and kept (runs of white space collapsed, so write no string literal).
    ``%s`` placeholders take every value, adapted by the caller (``Columns.prep``)."""

    def __init__(self, write):
        self.write = write
        self._sql = {}

    def sql(self, connection):
        try:
            return self._sql[connection.vendor]
        except KeyError:
            text = self._sql[connection.vendor] = " ".join(self.write(connection.ops.quote_name).split())
            return text

    def rows(self, params, using="default"):
        """All rows of the statement (a SELECT)."""
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql(connection), params)
            return cursor.fetchall()

    def run(self, params, using="default"):
        """Execute the statement (an UPDATE or DELETE); the number of rows it changed."""
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(self.sql(connection), params)
            return cursor.rowcount


class Columns:
    """Columns of ``model`` (``fields``: attribute names; default every concrete field) as a
    SELECT list under a table alias, and model instances built from the values a row holds
    there, converted as the ORM converts them (dates, decimals, booleans, JSON)."""

    def __init__(self, model, fields=None):
        self.model = model
        concrete = model._meta.concrete_fields
        if fields is not None:
            wanted = set(fields)
            unknown = wanted - {f.attname for f in concrete}
            if unknown:
                raise ValueError(f"{model.__name__} has no column {sorted(unknown)}")
            concrete = [f for f in concrete if f.attname in wanted]  # from_db wants the model's order
        self.fields = list(concrete)
        self.attnames = [f.attname for f in self.fields]
        self.width = len(self.fields)
        self._pk = next((i for i, f in enumerate(self.fields) if f.primary_key), None)
        self._converters = {}

    def field(self, attname):
        return self.model._meta.get_field(attname)

    def select(self, quote_name, alias):
        """``"alias"."column", …`` for a SELECT list."""
        return ", ".join(f"{quote_name(alias)}.{quote_name(f.column)}" for f in self.fields)

    def table(self, quote_name):
        return quote_name(self.model._meta.db_table)

    def column(self, quote_name, attname):
        return quote_name(self.field(attname).column)

    def prep(self, attname, value, using="default"):
        """``value`` of the field ``attname`` as the database takes it as a parameter (what the
        ORM sends for a filter or a save)."""
        return self.field(attname).get_db_prep_save(value, connections[using])

    def _column_converters(self, field, connection):
        """(column expression, the ORM's converter functions for it on ``connection``)."""
        col = Col(self.model._meta.db_table, field)
        return col, tuple(connection.ops.get_db_converters(col) + field.get_db_converters(connection))

    def _converters_for(self, connection):
        """[(position, column, converter functions)] of the columns that need converting."""
        found = self._converters.get(connection.vendor)
        if found is None:
            found = []
            for i, f in enumerate(self.fields):
                col, functions = self._column_converters(f, connection)
                if functions:
                    found.append((i, col, functions))
            self._converters[connection.vendor] = found
        return found

    def converter(self, attname, using="default"):
        """A function that converts a value read from column ``attname`` as the ORM converts it
        (the identity for a column that needs no converting), for this thread's connection."""
        connection = connections[using]
        key = (connection.vendor, attname)
        found = self._converters.get(key)
        if found is None:
            found = self._converters[key] = self._column_converters(self.field(attname), connection)
        col, functions = found

        def convert(value):
            for fn in functions:
                value = fn(value, col, connection)
            return value

        return convert

    def build(self, row, start=0, using="default"):
        """The instance whose columns are ``row[start:start + width]``; None when its primary
        key there is NULL (the empty side of a LEFT JOIN)."""
        connection = connections[using]
        values = list(row[start:start + self.width])
        if self._pk is not None and values[self._pk] is None:
            return None
        for i, col, functions in self._converters_for(connection):
            for fn in functions:
                values[i] = fn(values[i], col, connection)
        return self.model.from_db(using, self.attnames, values)


class Insert:
    """INSERTs of unsaved instances of ``model`` (every concrete field but the primary key),
    written from the model's table and column names; the values are adapted as a save adapts
    them (each field's ``pre_save`` and ``get_db_prep_save``). The ORM's compiler spends more
    on building a bulk INSERT than the database spends on running it.

    ``rows(objs)`` adapts the values (do it before a write transaction opens); ``one(cursor,
    row)`` inserts one row and returns its new primary key; ``many(cursor, rows, **columns)``
    inserts rows with the given columns set in each (a parent id only known inside the
    transaction), in the batches the database takes."""

    def __init__(self, model):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        self._index = {f.attname: i for i, f in enumerate(self.fields)}

    def rows(self, objs, using="default"):
        """The adapted values of each of ``objs``. A column that holds the very same object as in
        the row before (``None``, a default, a shared value) reuses that row's adapted value
        instead of adapting it again: adapting is a pure function of the value."""
        connection = connections[using]
        fields = self.fields
        seen, adapted = [_UNSEEN] * len(fields), [None] * len(fields)
        out = []
        for obj in objs:
            row = []
            for i, f in enumerate(fields):
                value = f.pre_save(obj, True)
                if value is not seen[i]:
                    seen[i], adapted[i] = value, f.get_db_prep_save(value, connection)
                row.append(adapted[i])
            out.append(row)
        return out

    def _head(self, connection):
        """``INSERT INTO table (columns) VALUES `` for this model."""
        q = connection.ops.quote_name
        return f"INSERT INTO {q(self.model._meta.db_table)} ({', '.join(q(f.column) for f in self.fields)}) VALUES "

    def one(self, cursor, row, using="default"):
        connection = connections[using]
        returning = connection.features.can_return_columns_from_insert
        sql = self._head(connection) + "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        if returning:
            sql += f" RETURNING {connection.ops.quote_name(self.model._meta.pk.column)}"
        cursor.execute(sql, row)
        if returning:
            return cursor.fetchone()[0]
        return connection.ops.last_insert_id(cursor, self.model._meta.db_table, self.model._meta.pk.column)

    def many(self, cursor, rows, using="default", **columns):
        """Insert ``rows`` with ``columns`` set in each. A value that every row of a batch holds
        in a column and that is NULL, a boolean or an integer (the parent id, the columns a
        new row leaves at their defaults) is written into the statement once instead of being
        sent with each row: a driver that binds on the client (psycopg, as Django uses it)
        splits and quotes every placeholder of a statement too long for its cache, on each
        execution."""
        connection = connections[using]
        for attname, value in columns.items():
            i = self._index[attname]
            for row in rows:
                row[i] = value
        size = max(1, connection.ops.bulk_batch_size(self.fields, rows))
        head = self._head(connection)
        for start in range(0, len(rows), size):
            batch = rows[start:start + size]
            first = batch[0]
            shared = {i: text for i, value in enumerate(first) if (text := _literal(value)) is not None
                      and all(type(r[i]) is type(value) and r[i] == value for r in batch)}
            varying = [i for i in range(len(self.fields)) if i not in shared]
            row = "(" + ", ".join(shared.get(i, "%s") for i in range(len(self.fields))) + ")"
            cursor.execute(head + ", ".join([row] * len(batch)), [r[i] for r in batch for i in varying])


#: No value yet (``Insert.rows``).
_UNSEEN = object()


def _literal(value):
    """``value`` as an SQL literal every supported database reads the same way (SQLite 3.23 and
    later know TRUE and FALSE), or None when it is not one of these simple values."""
    if value is None:
        return "NULL"
    if value is True:
        return "TRUE"
    if value is False:
        return "FALSE"
    if type(value) is int:
        return str(value)
    return None
