import pytest

from tests.products.factories import catalogue_ensure_for_test


@pytest.fixture(autouse=True)
def catalogue(db):
    """The reference catalogue (a data migration) even after another test flushed it."""
    catalogue_ensure_for_test()


@pytest.fixture
def second_admin_api(second_param_admin, api_client_for):
    """The second parameter administrator, who approves what the first proposes."""
    return api_client_for(second_param_admin)


def approve_over_api(proposed, approver_api):
    """`proposed` is the 202 answer of a publish or a modification of an active product;
    the second administrator approves it. Returns the approval's answer."""
    assert proposed.status_code == 202, proposed.json()
    proposal_id = proposed.json()["id"]
    return approver_api.post(f"/api/v1/products/proposals/{proposal_id}/approve/")
