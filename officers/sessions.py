"""Sessions in the database, read with one prepared statement (settings.SESSION_ENGINE).

Django's database session store, unchanged in what it stores and where (the ``django_session``
table every app server shares, so a sign-out or an expiry holds on every server at once), but
the read that every signed-in request starts with skips the ORM's query building
(``portal.rows``). A session without a key, or with one that is not a valid key, is not looked
up at all.
"""
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from portal.rows import Columns, Statement

SESSION = Columns(Session, ["session_key", "session_data"])

READ = Statement(lambda q: f"""
    SELECT {q("session_data")} FROM {SESSION.table(q)}
    WHERE {SESSION.column(q, "session_key")} = %s AND {SESSION.column(q, "expire_date")} > %s""")


class SessionStore(DatabaseSessionStore):
    def _get_session_from_db(self):
        key = self.session_key  # None when the cookie held no valid key
        if key is not None:
            found = READ.rows([key, SESSION.prep("expire_date", timezone.now())])
            if found:
                return Session(session_key=key, session_data=found[0][0])
        self._session_key = None
        return None
