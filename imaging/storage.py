"""The private image store, through Django's storages API (alias "imaging" in STORAGES).

Filesystem by default (under IMAGING_ROOT, outside any public URL); an S3-compatible bucket
through django-storages by configuration (README, "Image storage"). Names are content-
addressed: `<kind>/<aa>/<bb>/<sha256>.<ext>`, so the same bytes are stored once and a
redelivered task writes nothing new.
"""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, storages

STORAGE_ALIAS = "imaging"


def image_storage() -> Storage:
    return storages[STORAGE_ALIAS]


def storage_is_local(storage: Storage) -> bool:
    return isinstance(storage, FileSystemStorage)


def content_key(kind: str, sha256: str, ext: str) -> str:
    return f"{kind}/{sha256[:2]}/{sha256[2:4]}/{sha256}.{ext}"


def storage_save_content_addressed(
    storage: Storage, kind: str, sha256: str | None, ext: str, content
) -> str:
    """Store `content` (bytes or a file) under its content address; return the name."""
    if isinstance(content, bytes):
        sha256 = sha256 or hashlib.sha256(content).hexdigest()
        content = ContentFile(content)
    elif not isinstance(content, File):
        content = File(content)
    if sha256 is None:
        raise ValueError("A file's content address needs its SHA-256.")
    key = content_key(kind, sha256, ext)
    if storage.exists(key):
        return key  # the same bytes are already there
    return storage.save(key, content)


def storage_delete_unreferenced(storage: Storage, keys: list[str], *, in_use: bool) -> None:
    if in_use:
        return
    for key in keys:
        if key and storage.exists(key):
            storage.delete(key)
