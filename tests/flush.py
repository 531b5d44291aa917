"""The database flush after each transactional test, on PostgreSQL: ``DELETE FROM`` every table in
one transaction (foreign keys checked at its end) instead of Django's one ``TRUNCATE`` of them all.

The tables hold a few rows after a test, and TRUNCATE replaces the files of every table and index
(about 130 tables): 2–3 s a test on 2 cores, against a tenth of a second for the deletes. The
result is the same: every table empty. A table with a TRUNCATE trigger (the search match rows
follow the index entries through one) is still truncated, first, so that its trigger runs as in
a flush. A flush that resets sequences or cascades (``reset_sequences``, ``available_apps``) is
left to Django."""
from django.db.backends.postgresql.operations import DatabaseOperations

_django_sql_flush = DatabaseOperations.sql_flush
#: tgtype bit of a TRUNCATE trigger (PostgreSQL's pg_trigger.h).
TRIGGER_TYPE_TRUNCATE = 32


def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if reset_sequences or allow_cascade or not tables:
        return _django_sql_flush(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
    with self.connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                       "WHERE NOT t.tgisinternal AND t.tgtype & %s <> 0", [TRIGGER_TYPE_TRUNCATE])
        truncated = {name for (name,) in cursor.fetchall()}
    quote = self.quote_name
    return ([f"{style.SQL_KEYWORD('TRUNCATE')} {style.SQL_FIELD(quote(t))}" for t in tables if t in truncated]
            + [f"{style.SQL_KEYWORD('SET CONSTRAINTS ALL DEFERRED')}"]
            + [f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(quote(t))}" for t in tables if t not in truncated])
