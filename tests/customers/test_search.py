"""Search as you type for customers: by the first digits of the number, part of the name or
the first characters of an ID document number, within the user's branches, in a constant
number of queries, on every page that picks a customer."""

import os

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bankcore.roles import Role
from tests.customers.factories import CorporateCustomerFactory, PersonalCustomerFactory
from tests.products.factories import time_deposit_product_for_test

pytestmark = pytest.mark.django_db

PICK = reverse("customers:pick")


def suggested(client, text: str, field: str = "customer_no") -> str:
    response = client.get(PICK, {"field": field, field: text}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def picks(page: str) -> int:
    return page.count("data-lookup-value=")


@pytest.fixture
def alice(org):
    return PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")


@pytest.fixture
def bob(org):
    return PersonalCustomerFactory(home_branch=org["BJ01"], name="Bob Li")


def test_suggestions_by_number_prefix_name_part_and_document_prefix(client, teller, alice, bob):
    client.force_login(teller)
    document = alice.documents.get().number

    assert alice.customer_no[:11] != bob.customer_no[:11]
    for text in (alice.customer_no[:11], "ice wa", "ALICE", document[:-1], document.lower()):
        page = suggested(client, text)
        assert f'data-lookup-value="{alice.customer_no}"' in page, text
        assert bob.customer_no not in page, text
    # The first digits both numbers share find both.
    common = os.path.commonprefix([alice.customer_no, bob.customer_no])  # noqa: RUF071 - digits
    assert len(common) >= 2
    page = suggested(client, common)
    assert alice.customer_no in page and bob.customer_no in page


def test_a_suggestion_shows_who_it_is(client, teller, alice):
    client.force_login(teller)

    page = suggested(client, "Alice")

    assert "Alice Wang" in page and "BJ01" in page
    assert alice.documents.get().number in page  # the opening document, to tell namesakes apart


def test_suggestions_stay_within_the_users_branches(client, make_user, org, alice):
    far = PersonalCustomerFactory(home_branch=org["SH01"], name="Alice Far")
    client.force_login(make_user(Role.TELLER, "BJ01", username="bj01teller"))

    page = suggested(client, "Alice")

    assert alice.customer_no in page and far.customer_no not in page
    assert far.customer_no not in suggested(client, far.customer_no)


def test_one_character_suggests_nothing_and_no_match_says_so(client, teller, alice):
    client.force_login(teller)

    assert picks(suggested(client, "A")) == 0
    page = suggested(client, "Nobody by this name")
    assert picks(page) == 0 and "No customer matches." in page


def test_many_matches_are_capped_with_a_hint(client, teller, org):
    for i in range(10):
        PersonalCustomerFactory(home_branch=org["BJ01"], name=f"Zhang {i}")
    client.force_login(teller)

    page = suggested(client, "Zhang")

    assert picks(page) == 8 and "type more to narrow them down" in page


@pytest.mark.parametrize("count", [1, 12])
def test_suggestions_take_a_constant_number_of_queries(
    client, teller, org, count, django_assert_num_queries
):
    PersonalCustomerFactory(home_branch=org["BJ01"], name="Chen Warmup")
    client.force_login(teller)
    suggested(client, "Chen")  # session and permissions read once
    with CaptureQueriesContext(connection) as one:
        assert picks(suggested(client, "Chen")) == 1

    for i in range(count):
        factory = CorporateCustomerFactory if i % 2 else PersonalCustomerFactory
        factory(home_branch=org["BJ01"], name=f"Chen {i}")
    with django_assert_num_queries(len(one.captured_queries)):
        assert picks(suggested(client, "Chen")) == min(count + 1, 8)


def test_suggestions_need_the_right_to_see_customers(client, make_user):
    client.force_login(make_user(None, "BJ01", username="nobody"))

    assert client.get(PICK, {"field": "q", "q": "Alice"}).status_code == 403


def test_search_page_finds_as_you_type_by_the_first_digits_of_a_number(client, teller, alice, bob):
    client.force_login(teller)

    page = client.get(
        reverse("customers:search"), {"q": alice.customer_no[:10]}, HTTP_HX_REQUEST="true"
    ).content.decode()

    assert alice.customer_no in page
    assert 'id="customer-results"' in page  # the part the box swaps as the person types


def test_every_page_that_picks_a_customer_searches_as_you_type(
    client, teller, param_admin, make_user, alice
):
    from authorization.demo import demo_rule_set_publish

    time_deposit_product_for_test()
    demo_rule_set_publish(
        proposed_by=param_admin, approved_by=make_user(Role.PARAMETER_ADMIN, "HO", username="pa2")
    )
    client.force_login(teller)
    open_form = client.get(reverse("products:account-open")).content.decode()
    relationship_form = client.get(
        reverse("customers:relationship-add", args=[alice.customer_no])
    ).content.decode()
    transaction_form = client.get(
        reverse("authorization:request-new"), {"transaction_code": "ACCOUNT_OPENING"}
    ).content.decode()
    client.force_login(param_admin)
    try_form = client.get(
        reverse("authorization:try-it"),
        {"transaction_code": "ACCOUNT_OPENING", "el_customer_no": alice.customer_no},
    ).content.decode()

    assert f'hx-get="{PICK}?field=customer_no"' in open_form
    assert f'hx-get="{PICK}?field=related_customer_no"' in relationship_form
    assert f'hx-get="{PICK}?field=el_customer_no"' in try_form
    assert f'hx-get="{PICK}?field=el_customer_no"' in transaction_form
    assert f'value="{alice.customer_no}"' in try_form  # as the 360 view's link fills it in
    for page in (open_form, relationship_form, try_form, transaction_form):
        assert 'data-lookup-for="' in page
