"""Sessions in the database, read and rewritten with prepared statements (settings.SESSION_ENGINE).

Django's database session store, unchanged in what it stores and where (the ``django_session``
table every app server shares, so a sign-out or an expiry holds on every server at once), but
the read that every signed-in request starts with, and the rewrite of an existing session (the
idle timer's, at most once a minute), skip the ORM's query building (``portal.rows``). A
session without a key, or with one that is not a valid key, is not looked up at all. Creating
and deleting a session stay Django's own.
"""
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.rows import Columns, Statement

SESSION = Columns(Session)

READ = Statement(lambda q: f"""
    SELECT {SESSION.column(q, "session_data")} FROM {SESSION.table(q)}
    WHERE {SESSION.column(q, "session_key")} = %s AND {SESSION.column(q, "expire_date")} > %s""")
REWRITE = Statement(lambda q: f"""
    UPDATE {SESSION.table(q)} SET {SESSION.column(q, "session_data")} = %s, {SESSION.column(q, "expire_date")} = %s
    WHERE {SESSION.column(q, "session_key")} = %s""")


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        key = self.session_key  # None when the cookie held no valid key
        if key is not None:
            found = READ.rows([key, SESSION.prep("expire_date", timezone.now())])
            if found:
                return Session(session_key=key, session_data=found[0][0])
        self._session_key = None
        return None

    def save(self, must_create=False):
        if must_create or self.session_key is None:
            return super().save(must_create=must_create)
        data = self.encode(self._get_session(no_load=False))
        if not REWRITE.run([data, SESSION.prep("expire_date", self.get_expiry_date()), self.session_key]):
            raise UpdateError  # the session was deleted meanwhile (signed out elsewhere)
