"""The S3-compatible path: images stored in and served from a bucket, against moto's server
mode started here on 127.0.0.1 (no cloud account, no network)."""

from __future__ import annotations

import socket

import pytest

from tests.imaging import corpus

moto_server = pytest.importorskip("moto.server", reason="moto[server] is not installed")
boto3 = pytest.importorskip("boto3")

BUCKET = "bank-evidence"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_endpoint(monkeypatch):
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    yield endpoint
    server.stop()


@pytest.fixture
def s3_store(settings, s3_endpoint):
    credentials = {
        "endpoint_url": s3_endpoint,
        "region_name": "us-east-1",
        "aws_access_key_id": "test-access",
        "aws_secret_access_key": "test-secret",
    }
    client = boto3.client("s3", **credentials)
    client.create_bucket(Bucket=BUCKET)
    settings.STORAGES = {
        **settings.STORAGES,
        "imaging": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": "test-access",
                "secret_key": "test-secret",
                "location": "imaging",
                "default_acl": "private",
                "file_overwrite": True,
            },
        },
    }
    return client


def _bucket_keys(client) -> list[str]:
    listing = client.list_objects_v2(Bucket=BUCKET)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_image_is_stored_in_the_bucket_and_served_from_it(receive, s3_store, client, teller):
    facts = receive(corpus.jpeg(corpus.photo(seed=81), exif=corpus.camera_exif()))

    assert facts.state == "ready"
    keys = _bucket_keys(s3_store)
    assert [key.split("/")[1] for key in keys] == ["review", "thumbnail"]  # received bytes gone
    assert all(key.startswith("imaging/") for key in keys)
    thumbnail_key = next(key for key in keys if "/thumbnail/" in key)
    in_bucket = s3_store.get_object(Bucket=BUCKET, Key=thumbnail_key)["Body"].read()

    client.force_login(teller)
    response = client.get(facts.thumbnail_url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == in_bucket
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "private" in response["Cache-Control"]


def test_bucket_objects_are_private(receive, s3_store, s3_endpoint):
    import urllib.error
    import urllib.request

    receive(corpus.jpeg(corpus.photo(seed=82)))
    key = _bucket_keys(s3_store)[0]
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_endpoint}/{BUCKET}/{key}", timeout=5)  # noqa: S310
    assert refused.value.code == 403
