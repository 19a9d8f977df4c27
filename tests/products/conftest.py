import pytest

from tests.products.factories import catalogue_ensure_for_test


@pytest.fixture(autouse=True)
def catalogue(db):
    """The reference catalogue (a data migration) even after another test flushed it."""
    catalogue_ensure_for_test()
