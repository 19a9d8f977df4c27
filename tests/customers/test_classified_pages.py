"""Adding and removing contacts, addresses and relationships from the 360 page, and the
change history as staff read it there."""

import pytest
from django.urls import reverse

from customers import services
from customers.models import ContactChannel, CustomerChange, CustomerRelationship
from tests.customers.factories import CorporateCustomerFactory, PersonalCustomerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(org):
    return PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")


def page_url(name, customer, *args):
    return reverse(f"customers:{name}", args=[customer.customer_no, *args])


def test_360_page_offers_add_buttons_to_a_teller(client, teller, customer):
    client.force_login(teller)

    page = client.get(page_url("detail", customer)).content.decode()

    for name in ("contact-add", "address-add", "relationship-add"):
        assert page_url(name, customer) in page


def test_360_page_offers_no_add_buttons_to_a_manager(client, manager, customer):
    client.force_login(manager)

    page = client.get(page_url("detail", customer)).content.decode()

    assert page_url("contact-add", customer) not in page
    assert client.get(page_url("contact-add", customer)).status_code == 403


def test_teller_adds_a_mobile_number(client, teller, customer):
    client.force_login(teller)

    response = client.post(
        page_url("contact-add", customer),
        {"kind": "mobile", "value": "138 0013 8000", "is_primary": "on"},
    )

    assert response.status_code == 302
    assert response["Location"] == page_url("detail", customer)
    contact = customer.contact_channels.get()
    assert (contact.value, contact.is_primary) == ("13800138000", True)
    assert CustomerChange.objects.get(action="contact_added").changed_by == teller


def test_malformed_email_is_shown_next_to_the_field(client, teller, customer):
    client.force_login(teller)

    response = client.post(page_url("contact-add", customer), {"kind": "email", "value": "a@"})

    assert response.status_code == 200
    assert 'data-testid="error-value"' in response.content.decode()
    assert not ContactChannel.objects.exists()


def test_duplicate_contact_is_shown_next_to_the_field(client, teller, customer):
    services.contact_channel_add(
        customer=customer,
        contact=services.ContactInput(kind="mobile", value="13800138000"),
        added_by=None,
    )
    client.force_login(teller)

    response = client.post(
        page_url("contact-add", customer), {"kind": "mobile", "value": "13800138000"}
    )

    assert response.status_code == 200
    assert "already has this" in response.context["form"].errors["value"][0]
    assert customer.contact_channels.count() == 1


def test_teller_adds_an_address_and_a_bad_region_code_is_shown_next_to_it(client, teller, customer):
    client.force_login(teller)
    base = {"kind": "residential", "line": "8 Jianguo Road", "country": "CHN"}

    refused = client.post(page_url("address-add", customer), {**base, "region_code": "1101"})
    saved = client.post(page_url("address-add", customer), {**base, "region_code": "110105"})

    assert refused.status_code == 200 and "region_code" in refused.context["form"].errors
    assert saved.status_code == 302
    assert customer.addresses.get().region_code == "110105"


def test_teller_relates_a_customer_by_number(client, teller, customer, org):
    company = CorporateCustomerFactory(home_branch=org["BJ01"], name="Fuzhou Trading")
    client.force_login(teller)

    response = client.post(
        page_url("relationship-add", company),
        {"kind": "legal_representative", "related_customer_no": customer.customer_no},
    )

    assert response.status_code == 302
    page = client.get(page_url("detail", company)).content.decode()
    assert "Legal representative" in page and "Alice Wang" in page


@pytest.mark.parametrize("which", ["self", "missing", "other_branch"])
def test_relationship_errors_are_shown_next_to_the_number(client, teller, customer, org, which):
    other = PersonalCustomerFactory(home_branch=org["SH01"])
    number = {
        "self": customer.customer_no,
        "missing": "100000099993",
        "other_branch": other.customer_no,
    }[which]
    client.force_login(teller)

    response = client.post(
        page_url("relationship-add", customer),
        {"kind": "spouse", "related_customer_no": number},
    )

    assert response.status_code == 200
    assert 'data-testid="error-related_customer_no"' in response.content.decode()
    assert not CustomerRelationship.objects.exists()


def test_teller_removes_a_contact_and_the_history_says_so(client, teller, customer):
    contact = services.contact_channel_add(
        customer=customer,
        contact=services.ContactInput(kind="email", value="alice@example.com"),
        added_by=teller,
    )
    client.force_login(teller)

    response = client.post(page_url("contact-remove", customer, contact.pk))

    assert response.status_code == 302
    assert not customer.contact_channels.exists()
    page = client.get(page_url("detail", customer)).content.decode()
    assert "Contact channel removed" in page and "alice@example.com" in page


def test_remove_needs_a_post(client, teller, customer):
    contact = services.contact_channel_add(
        customer=customer,
        contact=services.ContactInput(kind="mobile", value="13800138000"),
        added_by=None,
    )
    client.force_login(teller)

    assert client.get(page_url("contact-remove", customer, contact.pk)).status_code == 405
    assert customer.contact_channels.exists()


def test_removing_a_row_of_another_customer_is_404(client, teller, customer, org):
    other = PersonalCustomerFactory(home_branch=org["BJ01"])
    address = services.address_add(
        customer=other,
        address=services.AddressInput(kind="mailing", line="1 Road"),
        added_by=None,
    )
    client.force_login(teller)

    response = client.post(page_url("address-remove", customer, address.pk))

    assert response.status_code == 404
    assert other.addresses.exists()


def test_relationship_is_ended_from_the_page(client, teller, customer, org):
    spouse = PersonalCustomerFactory(home_branch=org["BJ01"])
    relationship = services.relationship_add(
        customer=customer, related_customer=spouse, kind="spouse", added_by=None
    )
    client.force_login(teller)

    response = client.post(page_url("relationship-remove", customer, relationship.pk))

    assert response.status_code == 302
    assert not CustomerRelationship.objects.exists()


@pytest.mark.parametrize("name", ["contact-add", "address-add", "relationship-add"])
def test_add_pages_of_another_branchs_customer_are_404(client, teller, org, name):
    far = PersonalCustomerFactory(home_branch=org["SH01"])
    client.force_login(teller)

    assert client.get(page_url(name, far)).status_code == 404
    assert client.post(page_url(name, far), {"kind": "mobile"}).status_code == 404


def test_history_on_the_360_page_speaks_the_banks_words(client, teller, customer):
    services.customer_update(
        customer=customer, changes={"vip_level": 2, "is_employee": True}, changed_by=teller
    )
    client.force_login(teller)

    history = client.get(page_url("detail", customer)).context["history"]

    updated = history[0]
    assert updated.action_label == "Updated" and updated.changed_by
    assert {(f.label, f.old, f.new) for f in updated.fields} == {
        ("VIP level", "0", "2"),
        ("Internal employee", "No", "Yes"),
    }


def test_360_page_runs_a_constant_number_of_queries(
    client, teller, customer, org, django_assert_max_num_queries
):
    client.force_login(teller)
    client.get(page_url("detail", customer))
    with django_assert_max_num_queries(30) as few:
        client.get(page_url("detail", customer))
    for i in range(6):
        services.contact_channel_add(
            customer=customer,
            contact=services.ContactInput(kind="mobile", value=f"139{i:08d}"),
            added_by=teller,
        )
        services.relationship_add(
            customer=customer,
            related_customer=PersonalCustomerFactory(home_branch=org["BJ01"]),
            kind="family",
            added_by=teller,
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(page_url("detail", customer))

    assert len(response.context["history"]) == 13
