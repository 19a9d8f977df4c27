"""Contact channels, addresses and relationships as API sub-resources, and the read-only
change history."""

import pytest

from customers import services
from customers.models import ContactChannel, CustomerChange, CustomerRelationship
from tests.customers.factories import CorporateCustomerFactory, PersonalCustomerFactory

pytestmark = pytest.mark.django_db


def url(customer, module, row_id=None):
    base = f"/api/v1/customers/{customer.customer_no}/{module}/"
    return f"{base}{row_id}/" if row_id is not None else base


@pytest.fixture
def client(integrator, api_client_for):
    return api_client_for(integrator)


@pytest.fixture
def customer(org):
    return PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")


# --- Contact channels ---------------------------------------------------------------------------


def test_contact_is_added_normalised_listed_and_recorded(client, customer, integrator):
    response = client.post(
        url(customer, "contact-channels"),
        {"kind": "mobile", "value": "+86 138-0013-8000", "is_primary": True},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["value"] == "13800138000"
    listed = client.get(url(customer, "contact-channels")).json()
    assert [(c["kind"], c["value"], c["is_primary"]) for c in listed] == [
        ("mobile", "13800138000", True)
    ]
    change = CustomerChange.objects.get(customer=customer, action="contact_added")
    assert change.changes == {"mobile": [None, "13800138000"]}
    assert change.changed_by == integrator


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("mobile", "1380013800"),  # 10 digits
        ("mobile", "23800138000"),  # not a mobile prefix
        ("landline", "6512"),
        ("email", "alice@"),
        ("email", "alice at example.com"),
    ],
)
def test_malformed_phone_or_email_is_400_naming_the_value(client, customer, kind, value):
    response = client.post(
        url(customer, "contact-channels"), {"kind": kind, "value": value}, format="json"
    )

    assert response.status_code == 400
    assert "value" in response.json()["error"]["fields"]
    assert not ContactChannel.objects.filter(customer=customer).exists()
    assert not CustomerChange.objects.filter(customer=customer, action="contact_added").exists()


def test_email_is_stored_lower_case_and_a_duplicate_is_a_conflict(client, customer):
    first = client.post(
        url(customer, "contact-channels"),
        {"kind": "email", "value": "Alice.Wang@Example.com"},
        format="json",
    )
    again = client.post(
        url(customer, "contact-channels"),
        {"kind": "email", "value": "alice.wang@example.com"},
        format="json",
    )

    assert first.status_code == 201 and first.json()["value"] == "alice.wang@example.com"
    assert again.status_code == 409
    assert "value" in again.json()["error"]["fields"]
    assert customer.contact_channels.count() == 1


def test_a_new_primary_replaces_the_old_primary_of_its_kind(client, customer):
    for value in ("13800138000", "13900139000"):
        client.post(
            url(customer, "contact-channels"),
            {"kind": "mobile", "value": value, "is_primary": True},
            format="json",
        )

    primaries = customer.contact_channels.filter(is_primary=True)
    assert list(primaries.values_list("value", flat=True)) == ["13900139000"]


def test_contact_is_removed_and_the_removal_recorded(client, customer):
    contact = services.contact_channel_add(
        customer=customer,
        contact=services.ContactInput(kind="landline", value="010-6512 3456"),
        added_by=None,
    )

    response = client.delete(url(customer, "contact-channels", contact.pk))

    assert response.status_code == 204
    assert not customer.contact_channels.exists()
    change = CustomerChange.objects.get(customer=customer, action="contact_removed")
    assert change.changes == {"landline": ["01065123456", None]}


def test_removing_another_customers_contact_is_404_and_keeps_it(client, customer, org):
    other = PersonalCustomerFactory(home_branch=org["BJ01"])
    contact = services.contact_channel_add(
        customer=other,
        contact=services.ContactInput(kind="mobile", value="13800138000"),
        added_by=None,
    )

    response = client.delete(url(customer, "contact-channels", contact.pk))

    assert response.status_code == 404
    assert ContactChannel.objects.filter(pk=contact.pk).exists()


def test_unknown_contact_fields_are_refused(client, customer):
    response = client.post(
        url(customer, "contact-channels"),
        {"kind": "mobile", "value": "13800138000", "note": "x"},
        format="json",
    )

    assert response.status_code == 400


# --- Addresses ----------------------------------------------------------------------------------


def test_address_is_added_listed_and_removed_with_history(client, customer):
    added = client.post(
        url(customer, "addresses"),
        {
            "kind": "mailing",
            "line": "8 Jianguo Road",
            "region_code": "110105",
            "postal_code": "100022",
        },
        format="json",
    )
    assert added.status_code == 201, added.json()
    address_id = added.json()["id"]
    assert [a["line"] for a in client.get(url(customer, "addresses")).json()] == ["8 Jianguo Road"]

    removed = client.delete(url(customer, "addresses", address_id))

    assert removed.status_code == 204
    assert not customer.addresses.exists()
    actions = set(CustomerChange.objects.filter(customer=customer).values_list("action", flat=True))
    assert {"address_added", "address_removed"} <= actions


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "mailing", "line": "1 Road", "region_code": "11010"}, "region_code"),
        ({"kind": "mailing", "line": "1 Road", "postal_code": "1000"}, "postal_code"),
        ({"kind": "mailing", "line": "1 Road", "country": "CN"}, "country"),
        ({"kind": "mailing", "line": "   "}, "line"),
        ({"kind": "moon", "line": "1 Road"}, "kind"),
    ],
)
def test_invalid_address_is_400_naming_the_field(client, customer, payload, field):
    response = client.post(url(customer, "addresses"), payload, format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not customer.addresses.exists()


# --- Relationships ------------------------------------------------------------------------------


def test_relationship_is_added_listed_and_recorded(client, customer, org):
    company = CorporateCustomerFactory(home_branch=org["BJ01"], name="Fuzhou Trading Co., Ltd.")

    response = client.post(
        url(company, "relationships"),
        {
            "related_customer_no": customer.customer_no,
            "kind": "legal_representative",
            "start_date": "2020-05-01",
        },
        format="json",
    )

    assert response.status_code == 201, response.json()
    listed = client.get(url(company, "relationships")).json()
    assert listed[0]["related_customer_no"] == customer.customer_no
    assert listed[0]["related_customer_name"] == "Alice Wang"
    assert listed[0]["start_date"] == "2020-05-01"
    change = CustomerChange.objects.get(customer=company, action="relationship_added")
    assert change.changes == {"legal_representative": [None, customer.customer_no]}


def test_relationship_target_must_exist(client, customer):
    missing = "100000099993"  # well-formed (valid check digit), but nobody has it

    response = client.post(
        url(customer, "relationships"),
        {"related_customer_no": missing, "kind": "spouse"},
        format="json",
    )

    assert response.status_code == 400
    assert "related_customer_no" in response.json()["error"]["fields"]


def test_relationship_target_with_a_wrong_check_digit_is_refused(client, customer, org):
    other = PersonalCustomerFactory(home_branch=org["BJ01"])
    mistyped = other.customer_no[:-1] + str((int(other.customer_no[-1]) + 1) % 10)

    response = client.post(
        url(customer, "relationships"),
        {"related_customer_no": mistyped, "kind": "spouse"},
        format="json",
    )

    assert response.status_code == 400
    assert "related_customer_no" in response.json()["error"]["fields"]


def test_customer_cannot_be_related_to_itself(client, customer):
    response = client.post(
        url(customer, "relationships"),
        {"related_customer_no": customer.customer_no, "kind": "family"},
        format="json",
    )

    assert response.status_code == 400
    assert "related_customer_no" in response.json()["error"]["fields"]
    assert not CustomerRelationship.objects.exists()


def test_the_same_relationship_twice_is_a_conflict(client, customer, org):
    spouse = PersonalCustomerFactory(home_branch=org["BJ01"])
    payload = {"related_customer_no": spouse.customer_no, "kind": "spouse"}

    first = client.post(url(customer, "relationships"), payload, format="json")
    again = client.post(url(customer, "relationships"), payload, format="json")

    assert first.status_code == 201
    assert again.status_code == 409
    assert CustomerRelationship.objects.count() == 1
    assert CustomerChange.objects.filter(action="relationship_added").count() == 1


def test_relationship_is_removed_and_recorded(client, customer, org):
    guarantor = PersonalCustomerFactory(home_branch=org["BJ01"])
    relationship = services.relationship_add(
        customer=customer, related_customer=guarantor, kind="guarantor", added_by=None
    )

    response = client.delete(url(customer, "relationships", relationship.pk))

    assert response.status_code == 204
    assert not CustomerRelationship.objects.exists()
    change = CustomerChange.objects.get(customer=customer, action="relationship_removed")
    assert change.changes == {"guarantor": [guarantor.customer_no, None]}


def test_teller_cannot_relate_a_customer_outside_their_branch(api_client_for, teller, org):
    near = PersonalCustomerFactory(home_branch=org["BJ01"])
    far = PersonalCustomerFactory(home_branch=org["SH01"])

    response = api_client_for(teller).post(
        url(near, "relationships"),
        {"related_customer_no": far.customer_no, "kind": "family"},
        format="json",
    )

    # The same answer as for a number nobody has: no hint that the customer exists.
    assert response.status_code == 400
    assert "related_customer_no" in response.json()["error"]["fields"]


# --- Scoping and permissions --------------------------------------------------------------------


@pytest.mark.parametrize("module", ["contact-channels", "addresses", "relationships", "history"])
def test_teller_gets_404_for_another_branchs_customer(api_client_for, teller, org, module):
    far = PersonalCustomerFactory(home_branch=org["SH01"])

    assert api_client_for(teller).get(url(far, module)).status_code == 404


def test_teller_cannot_delete_in_another_branch(api_client_for, teller, org):
    far = PersonalCustomerFactory(home_branch=org["SH01"])
    contact = services.contact_channel_add(
        customer=far,
        contact=services.ContactInput(kind="mobile", value="13800138000"),
        added_by=None,
    )

    response = api_client_for(teller).delete(url(far, "contact-channels", contact.pk))

    assert response.status_code == 404
    assert ContactChannel.objects.filter(pk=contact.pk).exists()


def test_manager_may_read_but_not_add_or_remove(api_client_for, manager, customer):
    client = api_client_for(manager)
    contact = services.contact_channel_add(
        customer=customer,
        contact=services.ContactInput(kind="mobile", value="13800138000"),
        added_by=None,
    )

    assert client.get(url(customer, "contact-channels")).status_code == 200
    assert client.get(url(customer, "history")).status_code == 200
    added = client.post(
        url(customer, "addresses"), {"kind": "mailing", "line": "1 Road"}, format="json"
    )
    assert added.status_code == 403
    assert client.delete(url(customer, "contact-channels", contact.pk)).status_code == 403


def test_anonymous_is_refused(api_client, customer):
    assert api_client.get(url(customer, "history")).status_code in (401, 403)


# --- History ------------------------------------------------------------------------------------


def test_history_lists_who_changed_what_newest_first(client, customer, teller):
    services.customer_update(customer=customer, changes={"vip_level": 2}, changed_by=teller)

    response = client.get(url(customer, "history"))

    assert response.status_code == 200
    entries = response.json()["results"]
    assert [e["action"] for e in entries] == ["updated", "created"]
    assert entries[0]["changed_by"] == "teller"
    assert entries[0]["changes"] == {"vip_level": [0, 2]}
    assert entries[1]["changed_by"] is None  # created by the factory (system)


def test_history_is_read_only(client, customer):
    assert client.post(url(customer, "history"), {}, format="json").status_code == 405
    assert client.delete(url(customer, "history")).status_code == 405


# --- Constant query counts ----------------------------------------------------------------------


def _fill(customer, count, org):
    for i in range(count):
        services.contact_channel_add(
            customer=customer,
            contact=services.ContactInput(kind="mobile", value=f"138{i:08d}"),
            added_by=None,
        )
        services.address_add(
            customer=customer,
            address=services.AddressInput(kind="mailing", line=f"{i} Road"),
            added_by=None,
        )
        services.relationship_add(
            customer=customer,
            related_customer=CorporateCustomerFactory(home_branch=org["BJ01"]),
            kind="shareholder",
            added_by=None,
        )


@pytest.mark.parametrize("count", [1, 8])
@pytest.mark.parametrize("module", ["contact-channels", "addresses", "relationships", "history"])
def test_sub_resource_lists_run_a_constant_number_of_queries(
    client, customer, org, count, module, django_assert_num_queries
):
    _fill(customer, count, org)
    client.get(url(customer, module))

    # token, user, permissions (one statement), customer (scoped), rows (+ count for paginated
    # history)
    with django_assert_num_queries(4 if module != "history" else 5):
        response = client.get(url(customer, module))

    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if module == "history" else body
    assert len(rows) >= count
