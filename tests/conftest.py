"""Shared fixtures: the unit tree and one user per role."""
import pytest
from django.conf import settings
from django.test.utils import setup_databases, teardown_databases
from django.utils import translation
from pytest_django.fixtures import _disable_migrations, _get_databases_for_setup

from officers import roles
from tests import flush, migrated_db
from tests.factories import make_units, make_user


@pytest.fixture(autouse=True)
def default_language():
    """Each test starts and ends in the site's language: a request in English leaves
    English active in the thread, which would change the next test's texts."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session", autouse=True)
def quick_flush():
    """Transactional tests end with a flush of deletes, not truncates, on PostgreSQL (tests/flush.py)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("django.db.backends.postgresql.operations.DatabaseOperations.sql_flush", flush.sql_flush)
        yield


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_use_migrations,
                    django_db_keepdb, django_db_createdb, django_db_modify_db_settings):
    """pytest-django's test database set-up, started from the kept copy of the migrated database
    while the migrations are unchanged (tests/migrated_db.py); a new copy is kept otherwise."""
    if not django_db_use_migrations:
        _disable_migrations()
    keepdb = django_db_keepdb and not django_db_createdb
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    copy = django_db_use_migrations and not keepdb and migrated_db.ALIAS in aliases
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        restored = copy and migrated_db.restore()
        db_cfg = setup_databases(verbosity=verbosity, interactive=False, aliases=aliases,
                                 serialized_aliases=serialized_aliases, keepdb=keepdb or restored)
        if copy and not restored:
            migrated_db.save()
    yield
    if not django_db_keepdb:
        with django_db_blocker.unblock():
            try:
                teardown_databases(db_cfg, verbosity=verbosity)
            except Exception as exc:  # noqa: BLE001
                request.node.warn(pytest.PytestWarning(f"Error when trying to teardown test databases: {exc!r}"))


@pytest.fixture
def law_directory_kept(monkeypatch):
    """The citation checker's law directory is rebuilt or re-checked (one query) once a minute: a
    test that compares query counts keeps it for the test's length, so a slow machine does not add
    a query between two measurements."""
    from casebank import citations
    monkeypatch.setattr(citations, "CACHE_SECONDS", 3600)


@pytest.fixture
def units(db):
    return make_units()


@pytest.fixture
def officer_user(units):
    return make_user(roles.OFFICER, unit=units["SZ-JB-01"], username="officer_a")


@pytest.fixture
def other_officer_user(units):
    """An officer of another district (江南区)."""
    return make_user(roles.OFFICER, unit=units["SZ-JN-01"], username="officer_b")


@pytest.fixture
def trainer_user(units):
    return make_user(roles.TRAINER, unit=units["SZ"], username="trainer_a")


@pytest.fixture
def reviewer_user(units):
    return make_user(roles.LEGAL_REVIEWER, unit=units["SZ"], username="reviewer_a")


@pytest.fixture
def hr_user(units):
    """HR of 江北区 (district SZ-JB)."""
    return make_user(roles.HR, unit=units["SZ-JB"], username="hr_jb")


@pytest.fixture
def hr_other_user(units):
    """HR of 江南区 (district SZ-JN)."""
    return make_user(roles.HR, unit=units["SZ-JN"], username="hr_jn")


@pytest.fixture
def admin_user(units):
    return make_user(roles.ADMIN, unit=units["SZ"], username="root", superuser=True)


def pytest_collection_modifyitems(config, items):
    """Transactional tests flush the database when they end, which would also wipe
    what data migrations created (role groups, the home page, the 法制审核
    workflow) for the tests after them. They must restore it: require
    serialized_rollback=True on every transactional test."""
    offenders = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
            offenders.append(item.nodeid)
    if offenders:
        raise pytest.UsageError(
            "Use @pytest.mark.django_db(transaction=True, serialized_rollback=True) for: " + ", ".join(offenders))
    # The README's production deployment builds for minutes in the background (see
    # pytest_collection_finish): the tests that need it run last.
    items.sort(key=_needs_background_deployment)


def _needs_background_deployment(item):
    return "deployment" in getattr(item, "fixturenames", ()) and hasattr(item.module, "start_in_background")


def pytest_collection_finish(session):
    """Start the README's production block as soon as a selected test needs it."""
    if session.config.option.collectonly:
        return
    needing = [item for item in session.items if _needs_background_deployment(item)]
    if needing:
        needing[0].module.start_in_background(session.config)
