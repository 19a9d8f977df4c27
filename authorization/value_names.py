"""The names of the values a condition picks from a table: a rule set version's transactions
and channels, the bank's branches, the products and product lines.

One lookup per catalogue (`_read`) serves both the condition builder's pickers
(`catalogue_value_choices`) and the sentences that read a condition back
(`value_names`: "Branch equals Beijing Branch" rather than "BJ01"), so the builder and the
sentence always name a value alike. Currencies are not looked up: a currency reads as its ISO
code (catalogue.TABLE_CATALOGUES says why).

Names of branches, products and product lines change while a rule set stays in force, and the
evaluate service writes explanations on every evaluation, so they are held per process
(bankcore/cache.py), one map per catalogue and language, loaded on first use (one query):
reading a name is then a dictionary lookup. A save or delete of a branch, product or product
line clears that catalogue in this process at once and again when the change commits (another
thread may have loaded the old name in between); other processes load it again within
AUTHORIZATION_VALUE_NAMES_CHECK_SECONDS (default 5 s). Each load is a new map, and the
sentences kept by a compiled rule set are written again when the map they were written from
is no longer the one answered (sentences.compile_condition_text). Transactions and channels
belong to the version and change only with it: a page reads them once (one query when a
condition names them), a compiled rule set carries them from its specification.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from bankcore.cache import ProcessValue
from bankcore.catalogues import CATALOGUE_LANGUAGES, catalogue_language
from bankcore.models import OrgUnit
from products.facade import product_choices, product_line_choices

from .models import RuleSetVersion, TransactionType, TriggerSystem
from .rules.sentences import ValueNames

# Catalogues held per process (the others belong to a rule set version).
SHARED_CATALOGUES = ("branch", "product", "product_line")
_SENDERS = {
    "branch": OrgUnit,
    "product": "products.Product",
    "product_line": "products.ProductLine",
}
_EMPTY: Mapping[str, str] = {}


def _read(
    catalogue: str, *, version: RuleSetVersion | None = None, active_only: bool = False
) -> list[tuple[str, str]]:
    """(code, name) of every value of `catalogue`, in the active language, by code (one
    query; none for a catalogue of a version when `version` is None). `active_only`: only
    the branches still open (what the builder offers; a rule may still name a closed one)."""
    if catalogue == "branch":
        branches = OrgUnit.objects.order_by("code")
        if active_only:
            branches = branches.filter(is_active=True)
        return list(branches.values_list("code", "name"))
    if catalogue == "product":
        return [(product.code, product.name) for product in product_choices()]
    if catalogue == "product_line":
        return [(line.code, line.name) for line in product_line_choices()]
    if version is None:
        return []
    if catalogue == "transaction":
        rows = TransactionType.objects.filter(version=version).order_by("code")
        return list(rows.values_list("code", "name"))
    if catalogue == "channel":
        rows = TriggerSystem.objects.filter(version=version).order_by("code")
        return list(rows.values_list("code", "name"))
    return []


def catalogue_value_choices(
    catalogue: str, *, version: RuleSetVersion | None = None
) -> list[tuple[str, str]]:
    """(code, name) of each value the condition builder offers for `catalogue`, in the
    active language (one query)."""
    return _read(catalogue, version=version, active_only=True)


def _load(catalogue: str, language: str) -> dict[str, str]:
    with translation.override(language):
        return dict(_read(catalogue))


def _check_seconds() -> float:
    return getattr(settings, "AUTHORIZATION_VALUE_NAMES_CHECK_SECONDS", 5.0)


_held: dict[tuple[str, str], ProcessValue[dict[str, str]]] = {
    (catalogue, language): ProcessValue(
        f"value names: {catalogue} ({language})",
        load=partial(_load, catalogue, language),
        max_age=_check_seconds,
    )
    for catalogue in SHARED_CATALOGUES
    for language in CATALOGUE_LANGUAGES
}
_languages: dict[str, str] = {}  # request language → catalogue language


def shared_value_names(catalogue: str, language: str) -> Mapping[str, str]:
    """code → name of a branch, product or product line in `language` (held per process:
    the same map until a name changes); an empty map for any other catalogue."""
    held_language = _languages.get(language)
    if held_language is None:
        held_language = _languages[language] = catalogue_language(language)
    held = _held.get((catalogue, held_language))
    return held.get() if held is not None else _EMPTY


def value_names(
    *,
    version: RuleSetVersion | None = None,
    known: Mapping[str, Mapping[str, str]] | None = None,
) -> ValueNames:
    """The names the sentences show (sentences.ValueNames): `known` maps for a version's
    catalogues (a compiled rule set's specification has them), else read from `version` on
    first need (one query per catalogue, kept for the life of the answer: one page), and the
    branches, products and product lines held per process."""
    read: dict[tuple[str, str], Mapping[str, str]] = {}

    def names(catalogue: str, language: str) -> Mapping[str, str]:
        if known is not None and catalogue in known:
            return known[catalogue]
        if catalogue in SHARED_CATALOGUES:
            return shared_value_names(catalogue, language)
        if version is None:
            return _EMPTY
        key = (catalogue, catalogue_language(language))
        held = read.get(key)
        if held is None:
            with translation.override(key[1]):
                held = read[key] = dict(_read(catalogue, version=version))
        return held

    return names


def value_names_forget(catalogue: str) -> None:
    """Read the names of `catalogue` again on next use, in this process (after a change)."""
    for language in CATALOGUE_LANGUAGES:
        _held[(catalogue, language)].clear()


def _changed(catalogue: str, **_kwargs) -> None:
    value_names_forget(catalogue)
    transaction.on_commit(partial(value_names_forget, catalogue))


def _connect() -> None:
    # Senders named by label where another app owns the model (authorization imports only
    # its facade); Django resolves them once the app registry is ready.
    for catalogue, sender in _SENDERS.items():
        handler: Callable[..., None] = partial(_changed, catalogue)
        uid = f"authorization.value_names.{catalogue}"
        post_save.connect(handler, sender=sender, weak=False, dispatch_uid=f"{uid}.save")
        post_delete.connect(handler, sender=sender, weak=False, dispatch_uid=f"{uid}.delete")


_connect()
