"""Customers in a real browser: what a teller does at the counter."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from customers import services
from customers.models import Customer
from tests.customers.factories import PersonalCustomerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RESIDENT_ID = "11010519491231002X"
# Screenshots for people to look at (the 360 page at 1280px and 768px, the attribute page).
SCREENSHOTS = Path(tempfile.gettempdir())


@pytest.fixture(autouse=True)
def reference_data():
    # Transactional tests flush the database: put document types, industries and the
    # customer-number counters back.
    services.reference_data_ensure()


def _open_new_personal_form(page) -> None:
    page.goto(f"{page.live_server_url}/customers/")
    page.get_by_role("link", name="New personal customer").click()
    expect(page.get_by_role("heading", name="New personal customer")).to_be_visible()


def test_teller_creates_a_personal_customer_and_lands_on_the_360_page(page, sign_in, teller):
    sign_in(teller)
    _open_new_personal_form(page)

    page.get_by_role("textbox", name="Name", exact=True).fill("Zhang San")
    # As the number says: its 17th digit is even (a woman); a disagreeing gender is refused.
    page.get_by_label("Gender").select_option(label="Female")
    page.get_by_label("Document number").fill(RESIDENT_ID)
    page.get_by_label("Mobile phone").fill("13800000000")
    page.get_by_role("button", name="Save").click()

    customer = Customer.objects.get()
    page.wait_for_url(f"**/customers/{customer.customer_no}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Zhang San")
    expect(page.get_by_test_id("index-layer")).to_contain_text(customer.customer_no)
    expect(page.get_by_test_id("documents")).to_contain_text(RESIDENT_ID)
    expect(page.get_by_test_id("basic-layer")).to_contain_text("1949-12-31")


def test_wrong_check_character_is_shown_next_to_the_field_and_creates_nothing(
    page, sign_in, teller
):
    sign_in(teller)
    _open_new_personal_form(page)

    page.get_by_role("textbox", name="Name", exact=True).fill("Zhang San")
    page.get_by_label("Document number").fill("110105194912310021")
    page.get_by_role("button", name="Save").click()

    error = page.get_by_test_id("error-document_number")
    expect(error).to_contain_text("check character")
    # Next to the field: inside the same form group as the document-number input.
    group = page.locator(".mb-3", has=page.get_by_label("Document number"))
    expect(group.get_by_test_id("error-document_number")).to_be_visible()
    expect(page.get_by_role("textbox", name="Name", exact=True)).to_have_value("Zhang San")
    assert not Customer.objects.exists()


def test_search_by_partial_name_and_by_document_number(page, sign_in, teller, org):
    alice = PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")
    PersonalCustomerFactory(home_branch=org["BJ01"], name="Bob Li")
    document_number = alice.documents.get().number
    sign_in(teller)
    page.goto(f"{page.live_server_url}/customers/")
    box = page.get_by_label("Customer number, ID document number or name")
    results = page.get_by_test_id("customer-results")

    for query in ("lice w", document_number):
        box.fill(query)
        page.get_by_role("button", name="Search").click()
        expect(results).to_contain_text(alice.customer_no)
        expect(results).not_to_contain_text("Bob Li")

    results.get_by_role("link", name=alice.customer_no).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alice Wang")


def test_teller_cannot_open_the_360_page_of_another_branchs_customer(page, sign_in, teller, org):
    far = PersonalCustomerFactory(home_branch=org["SH01"], name="Far Away")
    sign_in(teller)

    response = page.goto(f"{page.live_server_url}/customers/{far.customer_no}/")

    assert response.status == 404
    expect(page.locator("body")).not_to_contain_text("Far Away")
    # And search does not reveal the customer either.
    page.goto(f"{page.live_server_url}/customers/?q={far.customer_no}")
    expect(page.get_by_test_id("customer-results")).to_contain_text("No customers match")


def _rich_customer(org, teller):
    customer = PersonalCustomerFactory(
        home_branch=org["BJ01"],
        name="Wang Fang",
        vip_level=2,
        is_employee=True,
        document_number=RESIDENT_ID,
        created_by=teller,
    )
    services.contact_channel_add(
        customer=customer,
        contact=services.ContactInput(kind="mobile", value="13901010002", is_primary=True),
        added_by=teller,
    )
    services.contact_channel_add(
        customer=customer,
        contact=services.ContactInput(kind="email", value="wang.fang@example.com"),
        added_by=teller,
    )
    services.address_add(
        customer=customer,
        address=services.AddressInput(
            kind="residential", line="8 Jianguo Road, Chaoyang District", region_code="110105"
        ),
        added_by=teller,
    )
    spouse = PersonalCustomerFactory(home_branch=org["BJ01"], name="Li Ming")
    services.relationship_add(
        customer=customer, related_customer=spouse, kind="spouse", added_by=teller
    )
    services.customer_update(customer=customer, changes={"vip_level": 3}, changed_by=teller)
    return customer


@pytest.mark.parametrize("width", [1280, 768])
def test_360_page_reads_well_on_a_branch_pc_and_a_tablet(page, sign_in, teller, org, width):
    customer = _rich_customer(org, teller)
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(teller)

    page.goto(f"{page.live_server_url}/customers/{customer.customer_no}/")

    for section in ("index-layer", "basic-layer", "documents", "contacts", "addresses"):
        expect(page.get_by_test_id(section)).to_be_visible()
    expect(page.get_by_test_id("relationships")).to_contain_text("Li Ming")
    # Nothing sticks out sideways: no horizontal scrolling of the page.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    suffix = "" if width == 1280 else f"-{width}"
    page.screenshot(path=str(SCREENSHOTS / f"customer360{suffix}.png"), full_page=True)
    expect(page.get_by_role("heading", level=1)).to_contain_text("VIP 3")


def test_teller_adds_a_contact_from_the_360_page_fixing_a_typo_first(page, sign_in, teller, org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")
    sign_in(teller)
    page.goto(f"{page.live_server_url}/customers/{customer.customer_no}/")

    page.get_by_role("link", name="Add contact").click()
    page.get_by_role("combobox", name="Kind").select_option(label="Mobile phone")
    page.get_by_label("Phone number or email address").fill("1380013800")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("error-value")).to_contain_text("11-digit")

    page.get_by_label("Phone number or email address").fill("138 0013 8000")
    page.get_by_role("button", name="Save").click()

    page.wait_for_url(f"**/customers/{customer.customer_no}/")
    expect(page.get_by_test_id("contacts")).to_contain_text("13800138000")
    expect(page.get_by_test_id("history")).to_contain_text("Contact channel added")


def test_teller_relates_a_customer_and_ends_the_relationship(page, sign_in, teller, org):
    customer = PersonalCustomerFactory(home_branch=org["BJ01"], name="Alice Wang")
    spouse = PersonalCustomerFactory(home_branch=org["BJ01"], name="Bob Li")
    sign_in(teller)
    page.goto(f"{page.live_server_url}/customers/{customer.customer_no}/")

    page.get_by_role("link", name="Add relationship").click()
    page.get_by_label("The other customer is this customer's").select_option(label="Spouse")
    page.get_by_label("Other customer's number").fill(spouse.customer_no)
    page.get_by_role("button", name="Save").click()
    relationships = page.get_by_test_id("relationships")
    expect(relationships).to_contain_text("Bob Li")

    page.once("dialog", lambda dialog: dialog.accept())
    relationships.get_by_role("button", name="End relationship").click()
    expect(relationships).to_contain_text("No related customers")
    expect(page.get_by_test_id("history")).to_contain_text("Relationship removed")


def test_parameter_admin_defines_and_deactivates_an_attribute(page, sign_in, param_admin):
    sign_in(param_admin)
    page.goto(f"{page.live_server_url}/customers/")
    page.get_by_role("link", name="Customer attributes").click()

    page.get_by_label("Applies to").select_option(label="Personal customers")
    page.get_by_label("Code").fill("risk rating")
    page.get_by_label("Label").fill("AML risk rating")
    page.get_by_label("Data type").select_option(label="Choice")
    page.get_by_label("Choices").fill("low\nmedium\nhigh")
    page.get_by_role("button", name="Define attribute").click()
    expect(page.get_by_test_id("error-code")).to_be_visible()

    page.get_by_label("Code").fill("risk_rating")
    page.get_by_role("button", name="Define attribute").click()
    row = page.get_by_test_id("attribute-risk_rating")
    expect(row).to_contain_text("low / medium / high")
    page.screenshot(path=str(SCREENSHOTS / "customer-attributes.png"), full_page=True)

    row.get_by_role("button", name="Deactivate").click()
    expect(page.get_by_test_id("attribute-risk_rating")).to_contain_text("Inactive")
