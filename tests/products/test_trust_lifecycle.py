"""Trust (issue 13, items 3 and 6) on products: publishing or modifying an active product
needs a second parameter administrator, every lifecycle transition records who did it, and
the admin is no second write path. Each test is named after the defect it guards against."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from bankcore.four_eyes import (
    ApproverNotAllowed,
    ProposalNotPending,
    ProposalStatus,
    RejectionNeedsComment,
    SelfApprovalRefused,
)
from customers.models import ExtensionAttribute
from products import services
from products.models import (
    ParameterDefinition,
    ProductEvent,
    ProductProposal,
    ProductTemplate,
    ProductVersion,
    TemplateParameter,
)
from products.proposals import (
    ProductChangePending,
    product_change_submit,
    product_proposal_approve,
    product_proposal_reject,
    product_proposal_withdraw,
    product_publication_propose,
)
from tests.customers.factories import PersonalCustomerFactory
from tests.products.factories import (
    account_open_for_test,
    product_create_for_test,
    time_deposit_product_for_test,
)

pytestmark = pytest.mark.django_db


def _fewer_withdrawals():
    return {"early_withdrawals_allowed": {"value": "1", "free_max": "1"}}


# --- Item 3: four-eyes on products ------------------------------------------------------------


def test_one_admin_alone_cannot_publish_a_product(org, param_admin):
    product = product_create_for_test(publish=False)

    proposal = product_publication_propose(
        product=product, proposed_by=param_admin, now=timezone.now()
    )

    product.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING
    assert product.status == "draft"


def test_proposer_cannot_approve_their_own_product_publication(org, param_admin):
    product = product_create_for_test(publish=False)
    proposal = product_publication_propose(
        product=product, proposed_by=param_admin, now=timezone.now()
    )

    with pytest.raises(SelfApprovalRefused):
        product_proposal_approve(proposal=proposal, approved_by=param_admin, now=timezone.now())

    product.refresh_from_db()
    assert product.status == "draft"


def test_publication_approved_by_a_second_admin_names_both(org, param_admin, second_param_admin):
    product = product_create_for_test(publish=False)
    proposal = product_publication_propose(
        product=product, proposed_by=param_admin, now=timezone.now()
    )

    product = product_proposal_approve(
        proposal=proposal, approved_by=second_param_admin, now=timezone.now()
    )

    assert product.status == "active"
    assert (product.published_by, product.publication_approved_by) == (
        param_admin,
        second_param_admin,
    )


def test_service_refuses_to_modify_an_active_product_without_a_second_admin(org, param_admin):
    """The old product_modify put a change to an active product live at once."""
    product = time_deposit_product_for_test(early_withdrawals_allowed=3)

    with pytest.raises(services.ProductChangeNeedsApproval):
        services.product_modify(
            product=product,
            modified_by=param_admin,
            now=timezone.now(),
            parameters=_fewer_withdrawals(),
        )
    with pytest.raises(SelfApprovalRefused):
        services.product_modify(
            product=product,
            modified_by=param_admin,
            approved_by=param_admin,
            now=timezone.now(),
            parameters=_fewer_withdrawals(),
        )

    product.refresh_from_db()
    assert product.active_version.number == 1


def test_patch_to_an_active_product_waits_for_a_second_admin(
    org, param_admin, second_param_admin, api_client_for
):
    product = time_deposit_product_for_test(early_withdrawals_allowed=3)
    url = f"/api/v1/products/products/{product.product_code}/"

    proposed = api_client_for(param_admin).patch(
        url, {"parameters": _fewer_withdrawals(), "change_note": "Fewer"}, format="json"
    )

    assert proposed.status_code == 202, proposed.json()
    assert proposed.json()["status"] == "pending"
    assert proposed.json()["proposed_by"] == "paramadmin"
    product.refresh_from_db()
    assert product.active_version.number == 1
    customer = PersonalCustomerFactory(home_branch=org["BJ01"])
    opened = account_open_for_test(product=product, customer_no=customer.customer_no)
    assert opened.parameter_values["early_withdrawals_allowed"] == "3"

    approve = f"/api/v1/products/proposals/{proposed.json()['id']}/approve/"
    refused = api_client_for(param_admin).post(approve)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "self_approval_refused"
    approved = api_client_for(second_param_admin).post(approve)

    assert approved.status_code == 200, approved.json()
    body = approved.json()
    assert body["active_version"] == 2
    latest = body["versions"][-1]
    assert (latest["created_by"], latest["approved_by"]) == ("paramadmin", "paramadmin2")


def test_api_publish_is_a_proposal_and_the_detail_names_both_admins(
    org, param_admin, second_param_admin, api_client_for
):
    product = product_create_for_test(publish=False)
    code = product.product_code

    proposed = api_client_for(param_admin).post(f"/api/v1/products/products/{code}/publish/")

    assert proposed.status_code == 202
    assert proposed.json()["kind"] == "publish"
    assert api_client_for(param_admin).get(f"/api/v1/products/products/{code}/").json()[
        "status"
    ] == ("draft")
    api_client_for(second_param_admin).post(
        f"/api/v1/products/proposals/{proposed.json()['id']}/approve/"
    )
    detail = api_client_for(param_admin).get(f"/api/v1/products/products/{code}/").json()
    assert detail["status"] == "active"
    assert (detail["published_by"], detail["publication_approved_by"]) == (
        "paramadmin",
        "paramadmin2",
    )


def test_database_refuses_a_product_proposal_decided_by_its_proposer(org, param_admin):
    product = product_create_for_test(publish=False)
    proposal = product_publication_propose(
        product=product, proposed_by=param_admin, now=timezone.now()
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        ProductProposal.objects.filter(pk=proposal.pk).update(
            status=ProposalStatus.APPROVED, decided_by=param_admin, decided_at=timezone.now()
        )


def test_database_refuses_a_version_approved_by_its_author(org, param_admin):
    product = time_deposit_product_for_test()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProductVersion.objects.create(
            product=product,
            number=9,
            created_at=timezone.now(),
            created_by=param_admin,
            approved_by=param_admin,
        )


def test_rejected_change_leaves_the_product_as_it_was(org, param_admin, second_param_admin):
    product = time_deposit_product_for_test(early_withdrawals_allowed=3)
    proposal = product_change_submit(
        product=product,
        submitted_by=param_admin,
        now=timezone.now(),
        parameters=_fewer_withdrawals(),
    )

    with pytest.raises(RejectionNeedsComment):
        product_proposal_reject(
            proposal=proposal, rejected_by=second_param_admin, comment="", now=timezone.now()
        )
    product_proposal_reject(
        proposal=proposal,
        rejected_by=second_param_admin,
        comment="Customers were promised three",
        now=timezone.now(),
    )

    product.refresh_from_db()
    proposal.refresh_from_db()
    assert product.active_version.number == 1
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.decision_comment == "Customers were promised three"


def test_an_invalid_change_is_refused_when_proposed_not_when_approved(org, param_admin):
    product = time_deposit_product_for_test()

    with pytest.raises(services.ProductInvalid) as refused:
        product_change_submit(
            product=product,
            submitted_by=param_admin,
            now=timezone.now(),
            parameters={"renewal_count": {"value": "500", "free_max": ""}},
        )

    assert "parameters.renewal_count" in refused.value.fields
    assert not ProductProposal.objects.filter(product=product, kind="modify").exists()
    product.refresh_from_db()
    assert product.active_version.number == 1


def test_draft_cannot_change_under_a_pending_publication(org, param_admin):
    product = product_create_for_test(publish=False)
    product_publication_propose(product=product, proposed_by=param_admin, now=timezone.now())

    with pytest.raises(services.ProductAwaitingApproval):
        product_change_submit(
            product=product, submitted_by=param_admin, now=timezone.now(), name="Changed"
        )


def test_a_second_proposal_on_the_same_product_is_refused_while_one_is_pending(org, param_admin):
    product = product_create_for_test(publish=False)
    product_publication_propose(product=product, proposed_by=param_admin, now=timezone.now())

    with pytest.raises(ProductChangePending):
        product_publication_propose(product=product, proposed_by=param_admin, now=timezone.now())

    assert ProductProposal.objects.filter(product=product).count() == 1


def test_only_the_proposer_withdraws_and_the_product_is_free_again(
    org, param_admin, second_param_admin
):
    product = product_create_for_test(publish=False)
    proposal = product_publication_propose(
        product=product, proposed_by=param_admin, now=timezone.now()
    )

    with pytest.raises(ApproverNotAllowed):
        product_proposal_withdraw(
            proposal=proposal, withdrawn_by=second_param_admin, now=timezone.now()
        )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING

    withdrawn = product_proposal_withdraw(
        proposal=proposal, withdrawn_by=param_admin, now=timezone.now()
    )
    again = product_publication_propose(
        product=product, proposed_by=param_admin, now=timezone.now()
    )

    assert (withdrawn.status, withdrawn.decided_by_id) == (ProposalStatus.WITHDRAWN, None)
    assert again.status == ProposalStatus.PENDING
    with pytest.raises(ProposalNotPending):
        product_proposal_withdraw(proposal=proposal, withdrawn_by=param_admin, now=timezone.now())


def test_someone_without_the_parameter_role_cannot_approve_a_product_change(
    org, param_admin, manager
):
    product = product_create_for_test(publish=False)
    proposal = product_publication_propose(
        product=product, proposed_by=param_admin, now=timezone.now()
    )

    with pytest.raises(ApproverNotAllowed):
        product_proposal_approve(proposal=proposal, approved_by=manager, now=timezone.now())


def test_proposals_page_offers_approve_to_the_second_admin_only(
    client, org, param_admin, second_param_admin
):
    product = time_deposit_product_for_test(early_withdrawals_allowed=3)
    proposal = product_change_submit(
        product=product,
        submitted_by=param_admin,
        now=timezone.now(),
        parameters=_fewer_withdrawals(),
    )
    approve_url = reverse("products:proposal-decide", args=[proposal.pk, "approve"])

    client.force_login(param_admin)
    own = client.get(reverse("products:proposals")).content.decode()
    assert approve_url not in own
    assert "parameters.early_withdrawals_allowed" in own
    client.post(approve_url)
    product.refresh_from_db()
    assert product.active_version.number == 1

    client.force_login(second_param_admin)
    assert approve_url in client.get(reverse("products:proposals")).content.decode()
    client.post(approve_url)
    product.refresh_from_db()
    assert product.active_version.number == 2
    designer = client.get(reverse("products:designer", args=[product.product_code]))
    events = designer.content.decode().split('data-testid="product-events"')[1]
    assert "paramadmin2" in events and "modify" in events


# --- Item 6: every transition records its actor ------------------------------------------------


def test_every_lifecycle_transition_records_who_did_it(
    org, param_admin, second_param_admin, manager
):
    """The old suspend/resume/retire dropped the actor argument."""
    product = product_create_for_test(publish=False)
    proposal = product_publication_propose(
        product=product, proposed_by=param_admin, now=timezone.now()
    )
    product_proposal_approve(proposal=proposal, approved_by=second_param_admin, now=timezone.now())

    services.product_suspend(product=product, suspended_by=second_param_admin, now=timezone.now())
    services.product_resume(product=product, resumed_by=param_admin, now=timezone.now())
    product = services.product_retire(
        product=product, retired_by=second_param_admin, now=timezone.now()
    )

    events = list(
        ProductEvent.objects.filter(product=product)
        .order_by("occurred_at", "id")
        .values_list("action", "acted_by__username", "approved_by__username")
    )
    assert events == [
        ("publish", "paramadmin", "paramadmin2"),
        ("suspend", "paramadmin2", None),
        ("resume", "paramadmin", None),
        ("retire", "paramadmin2", None),
    ]
    assert product.retired_by == second_param_admin


def test_a_transition_without_an_actor_is_refused(org):
    product = time_deposit_product_for_test()

    with pytest.raises(services.ProductStateConflict):
        services.product_suspend(product=product, suspended_by=None, now=timezone.now())

    product.refresh_from_db()
    assert product.status == "active"


def test_suspending_through_the_api_records_the_logged_in_admin(org, param_admin, api_client_for):
    product = time_deposit_product_for_test()

    api_client_for(param_admin).post(f"/api/v1/products/products/{product.product_code}/suspend/")

    event = ProductEvent.objects.get(product=product, action="suspend")
    assert event.acted_by == param_admin


# --- Item 6: the admin is no second write path -------------------------------------------------


@pytest.fixture
def superuser_client(client, make_user):
    client.force_login(make_user(None, "HO", is_superuser=True, is_staff=True))
    return client


def test_admin_cannot_change_a_parameters_zone_level_or_bounds(superuser_client, org):
    definition = ParameterDefinition.objects.get(code="renewal_count")
    url = reverse("admin:products_parameterdefinition_change", args=[definition.pk])

    assert superuser_client.get(url).status_code == 200  # visible for support
    superuser_client.post(
        url,
        {
            "label": definition.label,
            "zone": "basic",
            "principle_level": "system",
            "min_value": "-5",
            "max_value": "999",
        },
    )

    stored = ParameterDefinition.objects.get(pk=definition.pk)
    assert (stored.zone, stored.principle_level, stored.min_value, stored.max_value) == (
        definition.zone,
        definition.principle_level,
        definition.min_value,
        definition.max_value,
    )
    assert (
        superuser_client.get(reverse("admin:products_parameterdefinition_add")).status_code == 403
    )


def test_admin_cannot_change_template_parameters(superuser_client, org):
    template = ProductTemplate.objects.get(code="time_deposit")
    preset = TemplateParameter.objects.filter(template=template).first()

    response = superuser_client.post(
        reverse("admin:products_templateparameter_change", args=[preset.pk]),
        {"value": "nonsense", "principle_level": "default"},
    )

    assert response.status_code == 403
    assert TemplateParameter.objects.get(pk=preset.pk).value == preset.value
    assert (
        superuser_client.post(
            reverse("admin:products_producttemplate_delete", args=[template.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


def test_admin_cannot_change_extension_attributes(superuser_client, org):
    from customers.services import extension_attribute_create

    attribute = extension_attribute_create(
        scope="personal", code="hobby", label="Hobby", data_type="text"
    )

    response = superuser_client.post(
        reverse("admin:customers_extensionattribute_change", args=[attribute.pk]),
        {"code": "hobby", "label": "Hobby", "scope": "personal", "data_type": "integer"},
    )

    assert response.status_code == 403
    assert ExtensionAttribute.objects.get(pk=attribute.pk).data_type == "text"
    assert (
        superuser_client.get(reverse("admin:customers_extensionattribute_add")).status_code == 403
    )
