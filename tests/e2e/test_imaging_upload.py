"""The evidence upload widget in a real browser: preview, progress bar, the image's card with
its quality flags, and a refused file's reason next to the field."""

import pytest

from bankcore.models import OrgUnit
from bankcore.scoping import user_can_see_unit
from imaging import services
from tests.imaging import corpus

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OWNER = "e2eowner:BJ01:1"


@pytest.fixture(autouse=True)
def e2e_owner_registered(monkeypatch, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "imaging": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "imaging")},
        },
    }
    monkeypatch.setattr(services, "_owner_access", dict(services._owner_access))

    def can_view(user, ref):
        return user_can_see_unit(user, OrgUnit.objects.filter(code=ref.split(":")[1]).first())

    services.register_owner_access("e2eowner:", can_view)


def test_teller_uploads_evidence_and_sees_preview_progress_and_result(page, sign_in, teller):
    sign_in(teller)
    page.goto(f"{page.live_server_url}/imaging/owners/{OWNER}/?types=ID_FRONT")
    section = page.locator('[data-image-type="ID_FRONT"]')
    form = section.locator("form[data-imaging-upload]")

    form.locator("input[type=file]").set_input_files(
        {"name": "id-front.jpg", "mimeType": "image/jpeg", "buffer": corpus.blurred_jpeg()}
    )
    preview = form.locator("[data-imaging-preview] img")
    preview.wait_for(state="visible")
    assert preview.get_attribute("src").startswith("blob:")

    form.get_by_role("button", name="Upload").click()

    card = section.locator('[data-image][data-state="ready"]')
    card.wait_for(state="visible")
    assert form.locator("[data-imaging-progress]").get_attribute("aria-valuenow") == "100"
    assert "Looks blurred" in card.inner_text()
    thumbnail = card.locator("img")
    assert page.request.get(page.live_server_url + thumbnail.get_attribute("src")).status == 200
    thumbnail.evaluate(
        "img => img.complete ? null : new Promise(done => img.addEventListener('load', done))"
    )
    assert thumbnail.evaluate("img => img.naturalWidth") == 320

    form.locator("input[type=file]").set_input_files(
        {"name": "id-front.jpg", "mimeType": "image/jpeg", "buffer": corpus.svg_document()}
    )
    form.get_by_role("button", name="Upload").click()
    error = form.locator("[data-imaging-error]")
    error.filter(has_text="SVG or HTML").wait_for(state="visible")
    assert section.locator("[data-image]").count() == 1
