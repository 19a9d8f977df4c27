"""The customers services called directly: creating customers of each type, changing them,
and registering ID documents. Every refusal leaves the customers tables as they were."""

from __future__ import annotations

import datetime as dt

import pytest

from customers import services
from customers.models import (
    CustomerChange,
    CustomerChangeAction,
    CustomerType,
    customer_no_is_well_formed,
)
from customers.reference_data import PASSPORT, RESIDENT_ID_CARD, USCC_CERTIFICATE
from customers.validation import resident_id_birth_date, resident_id_gender
from tests.customers.factories import (
    CorporateCustomerFactory,
    PersonalCustomerFactory,
    resident_id_for_test,
    uscc_for_test,
)
from tests.customers.state import customers_state

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _reference_data(db):
    services.reference_data_ensure()


def _resident_id(number: str | None = None) -> services.DocumentInput:
    return services.DocumentInput(
        document_type_code=RESIDENT_ID_CARD, number=number or resident_id_for_test()
    )


def _personal(org, teller, **kwargs):
    kwargs.setdefault("opening_document", _resident_id())
    return services.personal_customer_create(
        name="Wang Fang", home_branch=org["BJ01"], created_by=teller, now=NOW, **kwargs
    )


def _history(customer) -> list[CustomerChange]:
    return list(CustomerChange.objects.filter(customer=customer).order_by("pk"))


# --- Creation -----------------------------------------------------------------------------------


def test_a_personal_customer_gets_a_checked_number_its_opening_document_and_a_history(org, teller):
    number = resident_id_for_test()

    customer = _personal(org, teller, opening_document=_resident_id(number), vip_level=2)

    assert customer.customer_type == CustomerType.PERSONAL
    assert customer.customer_no.startswith("1")
    assert customer_no_is_well_formed(customer.customer_no)
    assert customer.name == "Wang Fang"
    assert customer.vip_level == 2
    assert customer.created_at == NOW
    [document] = customer.documents.all()
    assert (document.number, document.is_opening_document) == (number, True)
    [created] = _history(customer)
    assert created.action == CustomerChangeAction.CREATED
    assert created.changed_by == teller
    assert created.changed_at == NOW
    assert created.changes["opening_document"] == [None, f"{RESIDENT_ID_CARD}:{number}"]


def test_a_resident_id_gives_the_person_its_birth_date_and_gender(org, teller):
    number = resident_id_for_test()

    customer = _personal(org, teller, opening_document=_resident_id(number))

    assert customer.personal.birth_date == resident_id_birth_date(number)
    assert customer.personal.gender == resident_id_gender(number)


def test_a_birth_date_disagreeing_with_the_resident_id_is_refused_and_nothing_is_written(
    org, teller
):
    number = resident_id_for_test()
    before = customers_state()

    with pytest.raises(services.CustomerFieldsInvalid) as refused:
        _personal(
            org,
            teller,
            opening_document=_resident_id(number),
            birth_date=resident_id_birth_date(number) + dt.timedelta(days=1),
        )

    assert "birth_date" in refused.value.fields
    assert customers_state() == before


def test_a_corporate_customer_is_numbered_as_corporate_with_its_industry(org, teller):
    customer = services.corporate_customer_create(
        name="Acme Trading Co., Ltd.",
        home_branch=org["BJ01"],
        opening_document=services.DocumentInput(
            document_type_code=USCC_CERTIFICATE, number=uscc_for_test()
        ),
        industry_code="J66",
        economic_type="160",
        registration_region_code="110105",
        created_by=teller,
        now=NOW,
    )

    assert customer.customer_no.startswith("2")
    assert customer_no_is_well_formed(customer.customer_no)
    assert customer.corporate.industry.code == "J66"
    assert customer.documents.get().document_type.code == USCC_CERTIFICATE


def test_an_unknown_industry_is_refused_and_nothing_is_written(org, teller):
    before = customers_state()

    with pytest.raises(services.CustomerFieldsInvalid) as refused:
        services.corporate_customer_create(
            name="Nowhere Ltd.",
            home_branch=org["BJ01"],
            opening_document=services.DocumentInput(
                document_type_code=USCC_CERTIFICATE, number=uscc_for_test()
            ),
            industry_code="ZZZ",
            economic_type="160",
            registration_region_code="110105",
            created_by=teller,
            now=NOW,
        )

    assert "industry_code" in refused.value.fields
    assert customers_state() == before


def test_a_person_cannot_open_with_a_corporate_document(org, teller):
    before = customers_state()

    with pytest.raises(services.DocumentTypeNotAllowed):
        _personal(
            org,
            teller,
            opening_document=services.DocumentInput(
                document_type_code=USCC_CERTIFICATE, number=uscc_for_test()
            ),
        )

    assert customers_state() == before


def test_an_internal_customer_has_no_document(org, teller):
    customer = services.internal_customer_create(
        name="Suspense account", home_branch=org["HO"], created_by=teller, now=NOW
    )

    assert customer.customer_no.startswith("9")
    assert customer_no_is_well_formed(customer.customer_no)
    assert not customer.documents.exists()
    assert [change.action for change in _history(customer)] == [CustomerChangeAction.CREATED]


def test_contacts_addresses_and_extension_values_come_with_the_creation(org, teller):
    services.extension_attribute_create(
        scope="personal", code="risk_band", label="Risk band", data_type="integer"
    )

    customer = _personal(
        org,
        teller,
        contact_channels=[services.ContactInput(kind="mobile", value="138 0013 8000")],
        addresses=[services.AddressInput(kind="residential", line="1 Chang'an Ave")],
        extensions={"risk_band": "3"},
    )

    assert list(customer.contact_channels.values_list("kind", "value")) == [
        ("mobile", "13800138000")
    ]
    assert list(customer.addresses.values_list("line", flat=True)) == ["1 Chang'an Ave"]
    assert list(customer.extension_values.values_list("value", flat=True)) == ["3"]
    assert len(_history(customer)) == 1  # one creation record, not one per part


def test_a_required_extension_attribute_missing_at_creation_is_refused(org, teller):
    services.extension_attribute_create(
        scope="personal",
        code="tax_residence",
        label="Tax residence",
        data_type="text",
        is_required=True,
    )
    before = customers_state()

    with pytest.raises(services.ExtensionValueInvalid) as refused:
        _personal(org, teller)

    assert "tax_residence" in refused.value.fields
    assert customers_state() == before


def test_the_same_document_cannot_open_a_second_customer_and_nothing_is_written(org, teller):
    number = resident_id_for_test()
    first = _personal(org, teller, opening_document=_resident_id(number))
    before = customers_state()

    with pytest.raises(services.DocumentAlreadyRegistered) as refused:
        _personal(org, teller, opening_document=_resident_id(number))

    assert refused.value.http_status == 409
    assert "number" in refused.value.fields
    assert customers_state() == before  # no index row, and the number counter did not move
    assert first.documents.get().number == number


def test_numbers_follow_each_other_per_customer_type(org, teller):
    first, second = _personal(org, teller), _personal(org, teller)

    assert int(second.customer_no[1:11]) == int(first.customer_no[1:11]) + 1


# --- Update -------------------------------------------------------------------------------------


def test_an_update_changes_the_fields_and_records_old_and_new_values(org, teller, supervisor):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"], vip_level=1)
    later = NOW + dt.timedelta(hours=1)

    updated = services.customer_update(
        customer=customer,
        changes={"name": "  Li Lei  ", "vip_level": 3},
        changed_by=supervisor,
        now=later,
    )

    assert (updated.name, updated.vip_level, updated.updated_at) == ("Li Lei", 3, later)
    change = _history(customer)[-1]
    assert change.action == CustomerChangeAction.UPDATED
    assert change.changed_by == supervisor
    assert change.changes["vip_level"] == [1, 3]
    assert change.changes["name"][1] == "Li Lei"


def test_an_update_that_changes_nothing_records_nothing(org, teller):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"], vip_level=1)
    before = customers_state()

    services.customer_update(customer=customer, changes={"vip_level": 1}, changed_by=teller)

    assert customers_state() == before


def test_a_field_the_customer_type_lacks_is_refused_and_nothing_is_written(org, teller):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    before = customers_state()

    with pytest.raises(services.CustomerFieldsInvalid) as refused:
        services.customer_update(
            customer=customer, changes={"name": "X", "is_interbank": True}, changed_by=teller
        )

    assert set(refused.value.fields) == {"is_interbank"}
    assert customers_state() == before


def test_a_status_change_through_update_is_refused_and_nothing_is_written(org, teller):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    before = customers_state()

    with pytest.raises(services.StatusChangeNeedsApproval):
        services.customer_update(
            customer=customer, changes={"name": "Renamed", "status": "closed"}, changed_by=teller
        )

    assert customers_state() == before


def test_a_gender_disagreeing_with_the_resident_id_is_refused_on_update(org, teller):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    other = "2" if customer.personal.gender == "1" else "1"
    before = customers_state()

    with pytest.raises(services.CustomerFieldsInvalid) as refused:
        services.customer_update(customer=customer, changes={"gender": other}, changed_by=teller)

    assert set(refused.value.fields) == {"gender"}
    assert customers_state() == before


def test_a_corporate_customer_moves_to_another_industry(org, teller):
    customer = CorporateCustomerFactory(home_branch=org["BJ01"], industry_code="J66")
    target = "C39"

    updated = services.customer_update(
        customer=customer, changes={"industry_code": target}, changed_by=teller
    )

    assert updated.corporate.industry.code == target
    assert _history(customer)[-1].changes["industry_code"] == ["J66", target]


# --- Documents ----------------------------------------------------------------------------------


def test_a_new_opening_document_takes_the_flag_from_the_old_one(org, teller):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])

    passport = services.document_add(
        customer=customer,
        document=services.DocumentInput(
            document_type_code=PASSPORT,
            number="E12345678",
            issue_date=dt.date(2020, 1, 1),
            expiry_date=dt.date(2030, 1, 1),
        ),
        added_by=teller,
        now=NOW,
        make_opening_document=True,
    )

    assert list(customer.documents.filter(is_opening_document=True)) == [passport]
    change = _history(customer)[-1]
    assert change.action == CustomerChangeAction.DOCUMENT_ADDED
    assert change.changes["document"] == [None, f"{PASSPORT}:E12345678"]


def test_another_customers_document_cannot_be_added_and_nothing_is_written(org, teller):
    holder = PersonalCustomerFactory(home_branch=org["BJ01"])
    other = PersonalCustomerFactory(home_branch=org["BJ01"])
    passport = services.DocumentInput(
        document_type_code=PASSPORT,
        number="E24681357",
        issue_date=dt.date(2020, 1, 1),
        expiry_date=dt.date(2030, 1, 1),
    )
    services.document_add(customer=holder, document=passport, added_by=teller)
    before = customers_state()

    with pytest.raises(services.DocumentAlreadyRegistered):
        services.document_add(
            customer=other, document=passport, added_by=teller, make_opening_document=True
        )

    assert customers_state() == before  # the other's opening document kept its flag


def test_an_expiry_before_the_issue_date_is_refused(org, teller):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    before = customers_state()

    with pytest.raises(services.CustomerFieldsInvalid) as refused:
        services.document_add(
            customer=customer,
            document=services.DocumentInput(
                document_type_code=PASSPORT,
                number="E87654321",
                issue_date=dt.date(2020, 1, 1),
                expiry_date=dt.date(2019, 1, 1),
            ),
            added_by=teller,
        )

    assert "expiry_date" in refused.value.fields
    assert customers_state() == before
