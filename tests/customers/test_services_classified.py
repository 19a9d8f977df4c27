"""The customers services for the classified modules (contact channels, addresses,
relationships) and the extended layer, called directly. Every refusal leaves the customers
tables as they were."""

from __future__ import annotations

import datetime as dt

import pytest

from customers import services
from customers.models import CustomerChange, CustomerChangeAction
from tests.customers.factories import CorporateCustomerFactory, PersonalCustomerFactory
from tests.customers.state import customers_state

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def customer(org):
    return PersonalCustomerFactory(home_branch=org["BJ01"])


def _last_change(customer) -> CustomerChange:
    return CustomerChange.objects.filter(customer=customer).latest("pk")


def _mobile(value: str, *, is_primary: bool = False) -> services.ContactInput:
    return services.ContactInput(kind="mobile", value=value, is_primary=is_primary)


# --- Contact channels ---------------------------------------------------------------------------


def test_a_contact_is_stored_normalised_and_recorded(customer, teller):
    row = services.contact_channel_add(
        customer=customer, contact=_mobile("+86 138-0013-8000"), added_by=teller, now=NOW
    )

    assert row.value == "13800138000"
    change = _last_change(customer)
    assert (change.action, change.changed_by, change.changed_at) == (
        CustomerChangeAction.CONTACT_ADDED,
        teller,
        NOW,
    )
    assert change.changes == {"mobile": [None, "13800138000"]}


def test_a_new_primary_contact_replaces_the_old_primary_of_its_kind(customer, teller):
    old = services.contact_channel_add(
        customer=customer, contact=_mobile("13800138000", is_primary=True), added_by=teller
    )

    new = services.contact_channel_add(
        customer=customer, contact=_mobile("13900139000", is_primary=True), added_by=teller
    )

    primaries = customer.contact_channels.filter(kind="mobile", is_primary=True)
    assert list(primaries) == [new]
    old.refresh_from_db()
    assert not old.is_primary


def test_the_same_contact_twice_is_refused_and_nothing_is_written(customer, teller):
    services.contact_channel_add(customer=customer, contact=_mobile("13800138000"), added_by=teller)
    before = customers_state()

    with pytest.raises(services.ContactAlreadyRecorded) as refused:
        services.contact_channel_add(
            customer=customer, contact=_mobile("138 0013 8000", is_primary=True), added_by=teller
        )

    assert refused.value.http_status == 409
    assert customers_state() == before


def test_a_malformed_contact_is_refused_and_nothing_is_written(customer, teller):
    before = customers_state()

    with pytest.raises(services.ContactValueInvalid) as refused:
        services.contact_channel_add(customer=customer, contact=_mobile("12345"), added_by=teller)

    assert "value" in refused.value.fields
    assert customers_state() == before


def test_a_contact_is_removed_and_the_removal_recorded(customer, teller):
    row = services.contact_channel_add(
        customer=customer, contact=_mobile("13800138000"), added_by=teller
    )

    services.contact_channel_remove(
        customer=customer, contact_channel_id=row.pk, removed_by=teller, now=NOW
    )

    assert not customer.contact_channels.exists()
    assert _last_change(customer).changes == {"mobile": ["13800138000", None]}


def test_another_customers_contact_cannot_be_removed_and_nothing_is_written(org, customer, teller):
    other = PersonalCustomerFactory(home_branch=org["BJ01"])
    row = services.contact_channel_add(
        customer=other, contact=_mobile("13800138000"), added_by=teller
    )
    before = customers_state()

    with pytest.raises(services.ClassifiedRowNotFound):
        services.contact_channel_remove(
            customer=customer, contact_channel_id=row.pk, removed_by=teller
        )

    assert customers_state() == before


# --- Addresses ----------------------------------------------------------------------------------


def test_an_address_is_added_then_removed_each_recorded(customer, teller):
    row = services.address_add(
        customer=customer,
        address=services.AddressInput(
            kind="mailing", line=" 8 Jianguo Rd ", postal_code="100022", country="chn"
        ),
        added_by=teller,
    )
    assert (row.line, row.country) == ("8 Jianguo Rd", "CHN")
    assert _last_change(customer).action == CustomerChangeAction.ADDRESS_ADDED

    services.address_remove(customer=customer, address_id=row.pk, removed_by=teller)

    assert not customer.addresses.exists()
    assert _last_change(customer).changes == {"mailing": ["8 Jianguo Rd", None]}


@pytest.mark.parametrize(
    ("address", "field"),
    [
        (services.AddressInput(kind="holiday", line="1 Beach Rd"), "kind"),
        (services.AddressInput(kind="mailing", line="1 Rd", postal_code="1000"), "postal_code"),
    ],
)
def test_a_bad_address_is_refused_on_its_field_and_nothing_is_written(
    customer, teller, address, field
):
    before = customers_state()

    with pytest.raises(services.CustomerFieldsInvalid) as refused:
        services.address_add(customer=customer, address=address, added_by=teller)

    assert field in refused.value.fields
    assert customers_state() == before


# --- Relationships ------------------------------------------------------------------------------


def test_a_relationship_is_recorded_by_the_other_customers_number(org, teller):
    company = CorporateCustomerFactory(home_branch=org["BJ01"])
    person = PersonalCustomerFactory(home_branch=org["BJ01"])

    row = services.relationship_add_by_customer_no(
        customer=company,
        related_customer_no=person.customer_no,
        kind="legal_representative",
        added_by=teller,
        now=NOW,
    )

    assert (row.related_customer, row.kind) == (person, "legal_representative")
    assert _last_change(company).changes == {"legal_representative": [None, person.customer_no]}


def test_the_same_relationship_twice_is_refused_and_nothing_is_written(org, teller):
    company = CorporateCustomerFactory(home_branch=org["BJ01"])
    person = PersonalCustomerFactory(home_branch=org["BJ01"])
    services.relationship_add(
        customer=company, related_customer=person, kind="guarantor", added_by=teller
    )
    before = customers_state()

    with pytest.raises(services.RelationshipAlreadyRecorded):
        services.relationship_add(
            customer=company, related_customer=person, kind="guarantor", added_by=teller
        )

    assert customers_state() == before


def test_a_customer_cannot_be_related_to_itself(customer, teller):
    before = customers_state()

    with pytest.raises(services.CustomerFieldsInvalid) as refused:
        services.relationship_add(
            customer=customer, related_customer=customer, kind="family", added_by=teller
        )

    assert "related_customer_no" in refused.value.fields
    assert customers_state() == before


def test_a_customer_outside_the_users_branch_is_not_found_and_nothing_is_written(
    org, customer, teller
):
    elsewhere = PersonalCustomerFactory(home_branch=org["SH01"])
    before = customers_state()

    with pytest.raises(services.RelatedCustomerNotFound):
        services.relationship_add_by_customer_no(
            customer=customer,
            related_customer_no=elsewhere.customer_no,
            kind="spouse",
            added_by=teller,
        )

    assert customers_state() == before


def test_a_mistyped_customer_number_is_refused_before_any_lookup(customer, teller):
    mistyped = customer.customer_no[:-1] + str((int(customer.customer_no[-1]) + 1) % 10)

    with pytest.raises(services.CustomerNoInvalid):
        services.relationship_add_by_customer_no(
            customer=customer, related_customer_no=mistyped, kind="spouse", added_by=teller
        )


def test_a_relationship_is_ended_and_the_end_recorded(org, customer, teller):
    spouse = PersonalCustomerFactory(home_branch=org["BJ01"])
    row = services.relationship_add(
        customer=customer, related_customer=spouse, kind="spouse", added_by=teller
    )

    services.relationship_remove(customer=customer, relationship_id=row.pk, removed_by=teller)

    assert not customer.relationships.exists()
    assert _last_change(customer).changes == {"spouse": [spouse.customer_no, None]}


# --- Extended layer -----------------------------------------------------------------------------


@pytest.fixture
def income_band(db):
    return services.extension_attribute_create(
        scope="personal",
        code="income_band",
        label="Income band",
        data_type="integer",
        min_value="1",
        max_value="5",
    )


def test_extension_values_are_set_changed_and_cleared_with_what_changed(
    customer, teller, income_band
):
    assert services.customer_extensions_set(
        customer=customer, values={"income_band": "2"}, changed_by=teller, now=NOW
    ) == {"income_band": (None, "2")}
    assert services.customer_extensions_set(
        customer=customer, values={"income_band": 4}, changed_by=teller
    ) == {"income_band": ("2", "4")}

    cleared = services.customer_extensions_set(
        customer=customer, values={"income_band": ""}, changed_by=teller
    )

    assert cleared == {"income_band": ("4", None)}
    assert not customer.extension_values.exists()
    assert _last_change(customer).action == CustomerChangeAction.EXTENSIONS_UPDATED


def test_setting_the_same_extension_value_records_nothing(customer, teller, income_band):
    services.customer_extensions_set(
        customer=customer, values={"income_band": "2"}, changed_by=teller
    )
    before = customers_state()

    assert (
        services.customer_extensions_set(
            customer=customer, values={"income_band": "2"}, changed_by=teller
        )
        == {}
    )
    assert customers_state() == before


@pytest.mark.parametrize("values", [{"income_band": "9"}, {"no_such_code": "1"}])
def test_a_bad_extension_value_is_refused_and_nothing_is_written(
    customer, teller, income_band, values
):
    before = customers_state()

    with pytest.raises(services.ExtensionValueInvalid) as refused:
        services.customer_extensions_set(customer=customer, values=values, changed_by=teller)

    assert set(refused.value.fields) == set(values)
    assert customers_state() == before


def test_an_attribute_code_is_defined_once(income_band):
    before = customers_state()

    with pytest.raises(services.ExtensionAttributeAlreadyDefined) as refused:
        services.extension_attribute_create(
            scope="corporate", code="income_band", label="Again", data_type="text"
        )

    assert refused.value.http_status == 409
    assert "code" in refused.value.fields
    assert customers_state() == before


def test_a_choice_attribute_needs_choices(db):
    before = customers_state()

    with pytest.raises(services.CustomerFieldsInvalid) as refused:
        services.extension_attribute_create(
            scope="personal", code="segment", label="Segment", data_type="choice"
        )

    assert "choices" in refused.value.fields
    assert customers_state() == before


def test_a_deactivated_attribute_is_no_longer_offered_but_its_values_stay(
    customer, teller, income_band
):
    services.customer_extensions_set(
        customer=customer, values={"income_band": "2"}, changed_by=teller
    )

    services.extension_attribute_set_active(attribute_id=income_band.pk, is_active=False)

    assert income_band not in services.extension_attributes_for("personal")
    assert customer.extension_values.get().value == "2"


def test_deactivating_an_unknown_attribute_is_not_found(db):
    with pytest.raises(services.ExtensionAttributeNotFound) as refused:
        services.extension_attribute_set_active(attribute_id=999_999, is_active=False)

    assert refused.value.http_status == 404
