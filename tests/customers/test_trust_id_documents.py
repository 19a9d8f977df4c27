"""ID documents that agree with the person: birth date and gender carried by a resident ID
number, administrative division codes, duplicate detection on a normalised identity across
document types, names without control or format characters."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bankcore.codes import iso7064_mod11_2_check_char, usc_code_check_char
from customers import services
from customers.models import Customer, CustomerDocument, PersonalCustomer
from tests.customers.factories import PersonalCustomerFactory

pytestmark = pytest.mark.django_db

PERSONAL_URL = "/api/v1/customers/personal/"
CORPORATE_URL = "/api/v1/customers/corporate/"
# Born 1949-12-31; 17th digit 2 (even): a woman.
WOMAN = "11010519491231002X"


def resident_id(body17: str) -> str:
    return body17 + iso7064_mod11_2_check_char(body17)


MAN = resident_id("11010519800101001")  # born 1980-01-01; 17th digit 1 (odd): a man


@pytest.fixture
def api(integrator):
    client = APIClient()
    client.force_authenticate(integrator)
    return client


def personal(number=WOMAN, document_type="101", **overrides):
    payload = {
        "name": "Zhang San",
        "home_branch": "BJ01",
        "opening_document": {"document_type": document_type, "number": number},
    }
    payload.update(overrides)
    return payload


# ---------------------------------------------------------------- birth date and gender


def test_birth_date_disagreeing_with_the_resident_id_is_refused_on_its_field(api):
    response = api.post(PERSONAL_URL, personal(birth_date="1950-01-01"), format="json")

    assert response.status_code == 400
    assert "1949-12-31" in response.json()["error"]["fields"]["birth_date"][0]
    assert not Customer.objects.exists()


def test_gender_disagreeing_with_the_resident_id_is_refused_on_its_field(api):
    response = api.post(PERSONAL_URL, personal(gender="1"), format="json")

    assert response.status_code == 400
    assert "Female" in response.json()["error"]["fields"]["gender"][0]
    assert not Customer.objects.exists()


def test_birth_date_and_gender_are_taken_from_the_resident_id_when_not_entered(api):
    woman = api.post(PERSONAL_URL, personal(), format="json").json()
    man = api.post(PERSONAL_URL, personal(MAN, name="Li Si"), format="json").json()

    assert (woman["basic"]["birth_date"], woman["basic"]["gender"]) == ("1949-12-31", "2")
    assert (man["basic"]["birth_date"], man["basic"]["gender"]) == ("1980-01-01", "1")


def test_values_that_agree_are_accepted(api):
    response = api.post(
        PERSONAL_URL, personal(MAN, birth_date="1980-01-01", gender="1"), format="json"
    )

    assert response.status_code == 201, response.json()


def test_gender_disagreeing_with_the_resident_id_shows_next_to_the_field_on_the_page(
    client, teller
):
    client.force_login(teller)
    form = {
        "name": "Zhang San",
        "home_branch": "BJ01",
        "gender": "1",
        "nationality": "CHN",
        "vip_level": "0",
        "is_domestic": "on",
        "document_type": "101",
        "document_number": WOMAN,
    }

    response = client.post(reverse("customers:create", args=["personal"]), form)

    assert response.status_code == 200
    assert "gender" in response.context["form"].errors
    assert not Customer.objects.exists()


def test_a_later_resident_id_document_must_agree_with_the_person(org):
    customer = PersonalCustomerFactory(
        home_branch=org["BJ01"], document_type_code="110", document_number="E12345678"
    )
    services.customer_update(
        customer=customer,
        changes={"birth_date": date(1980, 1, 1), "gender": "1"},
        changed_by=None,
    )

    with pytest.raises(services.CustomerFieldsInvalid) as refused:
        services.document_add(
            customer=customer,
            document=services.DocumentInput(document_type_code="101", number=WOMAN),
            added_by=None,
        )

    assert "number" in refused.value.fields
    services.document_add(
        customer=customer,
        document=services.DocumentInput(document_type_code="101", number=MAN),
        added_by=None,
    )


def test_an_update_cannot_make_the_person_disagree_with_their_resident_id(api):
    created = api.post(PERSONAL_URL, personal(), format="json").json()

    response = api.patch(
        f"/api/v1/customers/{created['customer_no']}/", {"gender": "1"}, format="json"
    )

    assert response.status_code == 400
    assert "gender" in response.json()["error"]["fields"]
    assert PersonalCustomer.objects.get().gender == "2"


# ---------------------------------------------------------------- division codes


def test_resident_id_with_an_unknown_province_is_refused(api):
    number = resident_id("99010519491231002")  # check character right, no province 99

    response = api.post(PERSONAL_URL, personal(number), format="json")

    assert response.status_code == 400
    message = response.json()["error"]["fields"]["opening_document"]["number"][0]
    assert "administrative division" in message
    assert not Customer.objects.exists()


@pytest.mark.parametrize("division", ["990100", "35AB00"])
def test_uscc_with_a_division_code_that_is_no_known_place_is_refused(api, division):
    body = f"91{division}MA0000001"
    number = body + usc_code_check_char(body)
    payload = {
        "name": "Nowhere Trading Co., Ltd.",
        "home_branch": "BJ01",
        "industry_code": "F51",
        "economic_type": "150",
        "registration_region_code": "350100",
        "opening_document": {"document_type": "201", "number": number},
    }

    response = api.post(CORPORATE_URL, payload, format="json")

    assert response.status_code == 400
    assert (
        "administrative division"
        in (response.json()["error"]["fields"]["opening_document"]["number"][0])
    )


# ---------------------------------------------------------------- duplicates


@pytest.mark.parametrize("document_type", ["103", "130", "999"])
def test_one_resident_id_number_cannot_open_a_second_customer_under_another_type(
    api, document_type
):
    number = resident_id("81000019900101001") if document_type == "130" else WOMAN
    assert api.post(PERSONAL_URL, personal(number), format="json").status_code == 201

    response = api.post(
        PERSONAL_URL, personal(number, document_type=document_type, name="Li Si"), format="json"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "document_already_registered"
    assert Customer.objects.count() == 1


@pytest.mark.parametrize(
    "spelling",
    [
        "".join(chr(ord(ch) + 0xFEE0) for ch in WOMAN),  # full-width digits and X
        "110105\u200b19491231002X",  # a zero-width space
        "\u202d11010519491231002X\u202c",  # bidirectional override marks
        "110105 19491231 002x",  # spaces, lower-case check character
    ],
)
def test_another_spelling_of_a_registered_number_is_the_same_identity(api, spelling):
    assert api.post(PERSONAL_URL, personal(), format="json").status_code == 201

    response = api.post(PERSONAL_URL, personal(spelling, name="Li Si"), format="json")

    assert response.status_code == 409
    assert Customer.objects.count() == 1


def test_other_document_with_a_new_number_is_stored_normalised(api):
    response = api.post(
        PERSONAL_URL,
        personal(
            "".join(chr(ord(ch) + 0xFEE0) for ch in "e123") + "\u200b45678", document_type="999"
        ),
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert CustomerDocument.objects.get().number == "E12345678"


def test_the_same_customer_may_register_their_number_on_a_second_document(api):
    created = api.post(PERSONAL_URL, personal(), format="json").json()

    response = api.post(
        f"/api/v1/customers/{created['customer_no']}/documents/",
        {"document_type": "103", "number": WOMAN},
        format="json",
    )

    assert response.status_code == 201, response.json()


# ---------------------------------------------------------------- names


@pytest.mark.parametrize(
    "name",
    ["Zhang\u202eSan", "Zhang\u200bSan", "Zhang\x07San", "Zhang\u2066San\u2069"],
)
def test_names_with_control_or_format_characters_are_refused(api, name):
    response = api.post(PERSONAL_URL, personal(name=name), format="json")

    assert response.status_code == 400
    assert "name" in response.json()["error"]["fields"]
    assert not Customer.objects.exists()


def test_renaming_to_a_name_with_a_bidirectional_override_is_refused(api):
    created = api.post(PERSONAL_URL, personal(), format="json").json()

    response = api.patch(
        f"/api/v1/customers/{created['customer_no']}/", {"name": "Zhang\u202eSan"}, format="json"
    )

    assert response.status_code == 400
    assert "name" in response.json()["error"]["fields"]
    assert PersonalCustomer.objects.get().name == "Zhang San"
