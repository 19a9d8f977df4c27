import pytest
from django.urls import reverse

from customers.models import Customer, CustomerChange, ExtensionAttribute
from customers.services import customer_extensions_set
from tests.customers.factories import (
    CorporateCustomerFactory,
    PersonalCustomerFactory,
    document_add_expired_for_test,
)

pytestmark = pytest.mark.django_db


def test_login_is_required(client):
    response = client.get(reverse("customers:search"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_teller_lands_on_customer_search(client, teller):
    client.force_login(teller)

    response = client.get("/", follow=True)

    assert response.redirect_chain[-1][0] == reverse("customers:search")


def test_search_finds_by_number_name_and_document(client, teller, org):
    alice = PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")
    PersonalCustomerFactory(home_branch=org["BJ01"], name="Bob Li")
    client.force_login(teller)
    document = alice.documents.get().number

    for query in (alice.customer_no, "alice", document):
        page = client.get(reverse("customers:search"), {"q": query}).content.decode()
        assert alice.customer_no in page and "Bob Li" not in page, query


def test_search_shows_only_the_tellers_subtree(client, teller, org):
    PersonalCustomerFactory(home_branch=org["BJ01"], name="Near Customer")
    PersonalCustomerFactory(home_branch=org["SH01"], name="Far Customer")
    client.force_login(teller)

    page = client.get(reverse("customers:search")).content.decode()

    assert "Near Customer" in page and "Far Customer" not in page


@pytest.mark.parametrize("count", [1, 20])
def test_search_page_runs_a_constant_number_of_queries(
    client, teller, org, count, django_assert_num_queries
):
    for i in range(count):
        if i % 2:
            CorporateCustomerFactory(home_branch=org["BJ01"])
        else:
            PersonalCustomerFactory(home_branch=org["BJ01"])
    client.force_login(teller)
    client.get(reverse("customers:search"))

    # session, user, permissions (one statement), org unit, role names, …, count, page,
    # opening documents: the same for 1 and 20 customers
    with django_assert_num_queries(8):
        response = client.get(reverse("customers:search"))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == count


def test_360_page_shows_all_four_layers_and_history(client, teller, org):
    ExtensionAttribute.objects.create(
        scope="personal",
        code="risk_rating",
        label="AML risk rating",
        data_type="choice",
        choices=["low", "medium", "high"],
    )
    customer = PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang", vip_level=2)
    document_add_expired_for_test(customer=customer)
    customer_extensions_set(customer=customer, values={"risk_rating": "medium"}, changed_by=teller)
    client.force_login(teller)

    response = client.get(reverse("customers:detail", args=[customer.customer_no]))
    page = response.content.decode()

    assert response.status_code == 200
    assert customer.customer_no in page  # index
    assert "Alice Wang" in page and "VIP 2" in page  # basic
    assert "Expired" in page and "Opening document" in page  # classified: documents
    assert "AML risk rating" in page and "medium" in page  # extended
    assert "Extension values updated" in page and "Created" in page  # history


def test_360_page_of_a_customer_outside_the_branch_is_404(client, teller, org):
    customer = PersonalCustomerFactory(home_branch=org["SH01"])
    client.force_login(teller)

    assert client.get(reverse("customers:detail", args=[customer.customer_no])).status_code == 404


def _personal_form(number="11010519491231002X", **overrides):
    data = {
        "name": "Zhang San",
        "home_branch": "BJ01",
        "gender": "2",  # as the resident ID number below says (17th digit even)
        "nationality": "CHN",
        "vip_level": "0",
        "is_domestic": "on",
        "document_type": "101",
        "document_number": number,
        "mobile": "13800000000",
    }
    data.update(overrides)
    return data


def test_teller_creates_a_personal_customer(client, teller):
    client.force_login(teller)

    response = client.post(reverse("customers:create", args=["personal"]), _personal_form())

    customer = Customer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:detail", args=[customer.customer_no])
    assert CustomerChange.objects.get(customer=customer).changed_by == teller


def test_wrong_resident_id_shows_the_error_next_to_the_field(client, teller):
    client.force_login(teller)

    response = client.post(
        reverse("customers:create", args=["personal"]), _personal_form("110105194912310021")
    )

    assert response.status_code == 200
    assert "document_number" in response.context["form"].errors
    assert 'data-testid="error-document_number"' in response.content.decode()
    assert not Customer.objects.exists()


def test_duplicate_document_on_the_page_is_shown_and_changes_nothing(client, teller):
    client.force_login(teller)
    client.post(reverse("customers:create", args=["personal"]), _personal_form())

    response = client.post(
        reverse("customers:create", args=["personal"]), _personal_form(name="Li Si")
    )

    assert response.status_code == 200
    assert "document_number" in response.context["form"].errors
    assert Customer.objects.count() == 1


def test_teller_creates_a_corporate_customer(client, teller):
    client.force_login(teller)

    response = client.post(
        reverse("customers:create", args=["corporate"]),
        {
            "name": "Fuzhou Trading Co., Ltd.",
            "home_branch": "BJ01",
            "industry": "F51",
            "economic_type": "150",
            "registration_region_code": "350100",
            "is_domestic": "on",
            "document_type": "201",
            "document_number": "91350100M000100Y43",
        },
    )

    assert response.status_code == 302, response.context["form"].errors
    assert Customer.objects.get().customer_type == "corporate"


def test_edit_records_who_changed_what(client, teller, org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")
    client.force_login(teller)
    form = client.get(reverse("customers:edit", args=[customer.customer_no])).context["form"]
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data.update(vip_level="3")
    data["is_domestic"] = "on"

    response = client.post(reverse("customers:edit", args=[customer.customer_no]), data)

    assert response.status_code == 302, response.context["form"].errors
    change = CustomerChange.objects.get(customer=customer, action="updated")
    assert change.changes == {"vip_level": [0, 3]} and change.changed_by == teller


def test_extension_page_rejects_a_value_of_the_wrong_type(client, teller, org):
    ExtensionAttribute.objects.create(
        scope="personal", code="children", label="Children", data_type="integer"
    )
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    client.force_login(teller)
    url = reverse("customers:extensions", args=[customer.customer_no])

    refused = client.post(url, {"children": "two"})
    saved = client.post(url, {"children": "2"})

    assert refused.status_code == 200 and "children" in refused.context["form"].errors
    assert saved.status_code == 302
    assert customer.extension_values.get().value == "2"


def test_manager_can_view_but_not_create(client, manager, org):
    customer = PersonalCustomerFactory(home_branch=org["SH01"])
    client.force_login(manager)

    assert client.get(reverse("customers:detail", args=[customer.customer_no])).status_code == 200
    assert client.get(reverse("customers:create", args=["personal"])).status_code == 403
