"""bankcore.prepared: ORM statements compiled once per connection, run again with new values
(the review queue's hot path). Runs on SQLite and PostgreSQL alike."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from authorization.models import AuthorizerLimit
from bankcore import prepared
from bankcore.models import OrgUnit, OrgUnitKind, User
from bankcore.prepared import Param
from tests.conftest import requires_postgres

pytestmark = pytest.mark.django_db

_unit = OrgUnit._meta.get_field
_limit = AuthorizerLimit._meta.get_field


@pytest.fixture
def units():
    head = OrgUnit.objects.create(code="PHO", name="Head", kind=OrgUnitKind.HEAD_OFFICE)
    branch = OrgUnit.objects.create(
        code="PBJ", name="Beijing", kind=OrgUnitKind.BRANCH, parent=head
    )
    return head, branch


def _children_of():
    return (
        OrgUnit.objects.filter(parent=Param("parent", _unit("parent")))
        .select_related("parent")
        .annotate(child_count=Count("children"))
        .order_by("code")
    )


def test_a_select_answers_what_the_orm_answers_with_annotations_and_related(units):
    head, branch = units

    [found] = prepared.select("test.children", _children_of, {"parent": head})

    assert found.pk == branch.pk and found.code == "PBJ" and found.child_count == 0
    assert found.parent.code == "PHO"  # select_related, without another query
    assert not found._state.adding


def test_a_statement_is_compiled_once_per_connection_and_bound_each_run(units):
    head, branch = units
    compiled = []

    def build():
        compiled.append(1)
        return _children_of()

    with CaptureQueriesContext(connection) as queries:
        first = prepared.select("test.children.once", build, {"parent": head})
        second = prepared.select("test.children.once", build, {"parent": branch})

    assert len(compiled) == 1
    assert [u.pk for u in first] == [branch.pk] and second == []
    assert len(queries) == 2  # one statement each, through Django's cursor


def test_rows_bind_decimals_and_strings_as_the_orm_does(django_user_model):
    user = django_user_model.objects.create_user("prepared1", password=None)
    AuthorizerLimit.objects.create(user=user, currency="CNY", max_amount=Decimal("100000.00"))

    def build():
        return AuthorizerLimit.objects.filter(
            user=Param("user", _limit("user")),
            max_amount__gte=Param("amount", _limit("max_amount")),
        ).values_list("currency", "max_amount")

    assert prepared.rows("test.limits", build, {"user": user, "amount": Decimal("60000")}) == [
        ("CNY", Decimal("100000.00"))
    ]
    assert prepared.rows("test.limits", build, {"user": user.pk, "amount": Decimal("2e5")}) == []


def test_an_update_counts_the_rows_it_changed_and_stores_none(units, django_user_model):
    head, _branch = units
    user = django_user_model.objects.create_user("prepared3", password=None, org_unit=head)
    field = User._meta.get_field

    def build():
        return (
            User.objects.filter(Q(pk=Param("id", field("id")))),
            {
                "org_unit": Param("set_org_unit", field("org_unit"), save=True),
                "first_name": Param("set_first_name", field("first_name"), save=True),
            },
        )

    values = {"id": user.pk, "set_org_unit": None, "set_first_name": "Li"}
    assert prepared.update("test.move", build, values) == 1
    assert prepared.update("test.move", build, {**values, "id": 0}) == 0
    user.refresh_from_db()
    assert user.org_unit_id is None and user.first_name == "Li"


def test_an_insert_stores_every_field_and_sets_the_primary_key(django_user_model):
    user = django_user_model.objects.create_user("prepared2", password=None)
    limit = AuthorizerLimit(user=user, currency="USD", max_amount=Decimal("5000.50"))

    prepared.insert(limit)

    assert limit.pk is not None and not limit._state.adding
    stored = AuthorizerLimit.objects.get(pk=limit.pk)
    assert (stored.user_id, stored.currency, stored.max_amount) == (
        user.pk,
        "USD",
        Decimal("5000.50"),
    )


def _server_prepared_statements() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall()]


@requires_postgres
def test_on_postgresql_the_statements_are_prepared_on_the_server_and_nothing_else_is(units):
    """psycopg prepares nothing while the connection's threshold is unset (Django's
    default), whatever a cursor asks: these statements must still be parsed and planned once
    per connection, and the ORM's own queries must not be prepared (connection poolers)."""
    head, _branch = units
    for _run in range(6):  # past psycopg's usual threshold of 5 runs
        prepared.select("test.children.server", _children_of, {"parent": head})
        list(OrgUnit.objects.filter(code=head.code).values_list("path", flat=True))

    statements = _server_prepared_statements()
    assert any("bankcore_orgunit" in s and "$1" in s for s in statements)
    assert not any(s.startswith('SELECT "bankcore_orgunit"."path" FROM') for s in statements)


def test_the_query_log_shows_each_run_with_its_values(units):
    """What a developer reads in connection.queries or the debug toolbar: the statement as
    run, with the values of that run (on PostgreSQL too, where it is prepared on the
    server and psycopg keeps no text of it)."""
    head, _branch = units
    key = ("test", "children-logged")

    with CaptureQueriesContext(connection) as captured:
        prepared.select(key, _children_of, {"parent": head})
        prepared.select(key, _children_of, {"parent": head.pk + 1000})

    shown = [query["sql"] for query in captured.captured_queries]
    assert len(shown) == 2
    assert all(sql and "bankcore_orgunit" in sql for sql in shown), shown
    assert str(head.pk) in shown[0] and str(head.pk + 1000) in shown[1], shown


def test_rows_come_in_the_order_values_list_named_on_a_model_with_translated_fields(units):
    # OrgUnit's queryset is django-modeltranslation's: it hands the fields to the SELECT as a
    # set, whose order changes from one process to the next; with five fields the SELECT's
    # order and the order named almost never agree.
    names = ("path", "is_active", "code", "kind", "parent_id")

    def build():
        return OrgUnit.objects.filter(
            code=Param("code", OrgUnit._meta.get_field("code"))
        ).values_list(*names)

    expected = list(OrgUnit.objects.filter(code="PBJ").values_list(*names))
    assert len(expected) == 1
    assert prepared.rows("test.unit-columns", build, {"code": "PBJ"}) == expected
    with pytest.raises(ValueError, match="translated fields"):
        prepared.rows(
            "test.unit-name",
            lambda: OrgUnit.objects.filter(
                code=Param("code", OrgUnit._meta.get_field("code"))
            ).values_list("code", "name"),
            {"code": "BJ01"},
        )
