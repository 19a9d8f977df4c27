"""Fixtures every app's tests share: the organisation tree, a user per role, API clients."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from rest_framework.test import APIClient

from bankcore.models import OrgUnitKind
from bankcore.roles import Role
from tests.bankcore.factories import TEST_PASSWORD, OrgUnitFactory, UserFactory
from tests.sqlite_template import install as sqlite_template_install

sqlite_template_install(connection)  # the migrated test database kept between runs

requires_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"
)


def pytest_collection_modifyitems(config, items):
    """One run, in an order that is right for every pytest-xdist worker (`make test`,
    `--dist load --maxschedchunk 1`: tests are handed out in this order, one or two ahead per
    worker, so each worker runs them in this order too):

    1. every test that rolls back (pytest-django's order among them is kept);
    2. then the transactional ones (real commits: threads, live server, Celery workers). Each
       ends with a flush that also empties the reference data the migrations seeded (document
       types, reason codes...), so on a worker none may run before a test that rolls back.
       Longest first (real-Celery kill tests, then by the durations measured in
       tests/transactional_durations.json), so that the run ends on short tests and no worker
       waits long for the other.

    The real-Celery (`redis`) tests may run on two workers at once: each xdist worker has its
    own database and its own broker keys (bankcore/settings/test.py, tests/harness.py)."""
    for item in items:
        if _is_transactional(item):
            item.add_marker(pytest.mark.transactional)
    items.sort(key=_run_order)


# Seconds each transactional test took in a measured run (SQLite, 2 workers, loaded machine):
# only their order matters. A test missing here counts as long, so it runs early. Refresh:
# `pytest -m transactional --junitxml=...` and keep nodeid -> time.
DURATIONS = json.loads((Path(__file__).with_name("transactional_durations.json")).read_text())
UNKNOWN_DURATION = 60.0


def _run_order(item) -> tuple[int, int, float]:
    if item.get_closest_marker("transactional") is None:
        return (0, 0, 0.0)
    if item.get_closest_marker("redis") is not None:
        return (1, 0, 0.0)  # real Celery workers killed and restarted: long on PostgreSQL
    return (1, 1, -DURATIONS.get(item.nodeid, UNKNOWN_DURATION))


def _is_transactional(item) -> bool:
    """A transactional test (real commits: threads, live server, Celery workers) ends with a
    flush that also empties the reference data the migrations seeded."""
    names = getattr(item, "fixturenames", ())
    if "transactional_db" in names or "live_server" in names:
        return True
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def _default_language():
    """A request in Chinese leaves Chinese active on the thread; each test starts in English."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _no_rule_set_cached_across_tests():
    """The compiled rule set and the business calendar are cached per process (by design,
    bankcore/cache.py); each test's database is new, so no test may see what an earlier one
    cached."""
    from bankcore.cache import process_caches_clear

    process_caches_clear()
    yield
    process_caches_clear()


@pytest.fixture
def org(db):
    """HO ─┬─ BJ ─┬─ BJ01
    │      └─ BJ02
    ├─ SH ─── SH01
    └─ RAC (remote authorization center)"""
    ho = OrgUnitFactory(code="HO", name="Head Office", kind=OrgUnitKind.HEAD_OFFICE)
    bj = OrgUnitFactory(code="BJ", name="Beijing Branch", kind=OrgUnitKind.BRANCH, parent=ho)
    sh = OrgUnitFactory(code="SH", name="Shanghai Branch", kind=OrgUnitKind.BRANCH, parent=ho)
    units = {
        "HO": ho,
        "BJ": bj,
        "BJ01": OrgUnitFactory(code="BJ01", name="Chaoyang", parent=bj),
        "BJ02": OrgUnitFactory(code="BJ02", name="Haidian", parent=bj),
        "SH": sh,
        "SH01": OrgUnitFactory(code="SH01", name="Pudong", parent=sh),
        "RAC": OrgUnitFactory(
            code="RAC", name="Remote Center", kind=OrgUnitKind.AUTHORIZATION_CENTER, parent=ho
        ),
    }
    return units


@pytest.fixture
def make_user(org):
    def make(role: Role | None, unit: str = "BJ01", *, level: int | None = None, **kwargs):
        return UserFactory(
            roles=[role] if role else [], org_unit=org[unit], authorization_level=level, **kwargs
        )

    return make


@pytest.fixture
def teller(make_user):
    return make_user(Role.TELLER, "BJ01", username="teller")


@pytest.fixture
def supervisor(make_user):
    return make_user(Role.BRANCH_SUPERVISOR, "BJ01", level=1, username="supervisor")


@pytest.fixture
def authorizer(make_user):
    return make_user(Role.REMOTE_AUTHORIZER, "RAC", level=1, username="authorizer")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, "HO", username="manager")


@pytest.fixture
def param_admin(make_user):
    return make_user(Role.PARAMETER_ADMIN, "HO", username="paramadmin")


@pytest.fixture
def second_param_admin(make_user):
    """Parameter changes are proposed by one administrator and approved by another."""
    return make_user(Role.PARAMETER_ADMIN, "HO", username="paramadmin2")


@pytest.fixture
def integrator(make_user):
    return make_user(Role.INTEGRATOR, "HO", username="integrator")


@pytest.fixture
def password():
    return TEST_PASSWORD


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def api_client_for():
    """An API client authenticated the way integrators are: a Bearer token (one per user in a
    test, so that any number of clients stay within the live-token limit per user)."""
    from bankcore.api.authentication import api_token_create

    tokens: dict[int, str] = {}

    def make(user) -> APIClient:
        if user.pk not in tokens:
            tokens[user.pk], _stored = api_token_create(user=user)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens[user.pk]}")
        return client

    return make
