"""The names of the values a condition picks from a table: a rule set version's transactions
and channels, the bank's branches, the products and product lines.

One lookup per catalogue (`_read`) serves both the condition builder's pickers
(`catalogue_value_choices`) and the sentences that read a condition back
(`value_names`: "Branch equals Beijing Branch" rather than "BJ01"), so the builder and the
sentence always name a value alike. Currencies are not looked up: a currency reads as its ISO
code (catalogue.TABLE_CATALOGUES says why).

Names of branches, products and product lines change while a rule set stays in force, and the
evaluate service writes explanations on every evaluation, so they are held per process
(bankcore/cache.py) in one book per language (catalogue → {code: name}), each catalogue read
on first use (one query): an explanation asks for the book once and each name is then a
dictionary lookup. A save or delete of a branch, product or product line replaces the books
in this process at once and again when the change commits (another thread may have read the
old name in between); other processes replace theirs within VALUE_NAMES_CHECK_SECONDS (5 s).
Sentences kept by a compiled rule set are written again when the book they were written from
is no longer the one answered (sentences.compile_condition_text). Transactions and channels
belong to the version and change only with it: a page reads them once (one query when a
condition names them), a compiled rule set carries them from its specification.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import translation

from bankcore.cache import ProcessValue
from bankcore.catalogues import CATALOGUE_LANGUAGES, catalogue_language
from bankcore.models import OrgUnit
from products.facade import names_changed, product_choices, product_line_choices

from .models import RuleSetVersion, TransactionType, TriggerSystem
from .rules.sentences import ValueNames

# Catalogues held per process (the others belong to a rule set version).
SHARED_CATALOGUES = ("branch", "product", "product_line")
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


class _SharedBook(dict):
    """catalogue → {code: name} of the branches, products and product lines in one language,
    each read on first use (one query) and kept with the book."""

    def __init__(self, language: str):
        super().__init__()
        self.language = language

    def __missing__(self, catalogue: str) -> Mapping[str, str]:
        if catalogue not in SHARED_CATALOGUES:
            return _EMPTY
        with translation.override(self.language):
            names = self[catalogue] = dict(_read(catalogue))
        return names


class _Book(dict):
    """A page's or a compiled rule set's book: the version's catalogues it was given
    (`known`), the others of the version read on first use, the shared ones from the
    process's book."""

    def __init__(self, known, shared: _SharedBook, read_version: Callable[[str], Mapping] | None):
        super().__init__(known)
        self.shared = shared
        self.read_version = read_version

    def __missing__(self, catalogue: str) -> Mapping[str, str]:
        if catalogue in SHARED_CATALOGUES:
            names = self.shared[catalogue]
        elif self.read_version is not None:
            names = self.read_version(catalogue)
        else:
            names = _EMPTY
        self[catalogue] = names
        return names


# How stale another process's change may be seen here, at most. A constant, as the business
# calendar's: asking the settings for a name they lack costs more than the lookup it guards.
VALUE_NAMES_CHECK_SECONDS = 5.0

# One book per catalogue language, held per process; a new (empty) one after a change or
# VALUE_NAMES_CHECK_SECONDS (creating it costs nothing: each catalogue is read when asked for).
_shared: dict[str, ProcessValue[_SharedBook]] = {
    language: ProcessValue(
        f"catalogue value names ({language})",
        load=partial(_SharedBook, language),
        max_age=lambda: VALUE_NAMES_CHECK_SECONDS,
    )
    for language in CATALOGUE_LANGUAGES
}
_languages: dict[str, str] = {}  # request language → catalogue language


def _shared_book(language: str) -> _SharedBook:
    held_language = _languages.get(language)
    if held_language is None:
        held_language = _languages[language] = catalogue_language(language)
    return _shared[held_language].get()


def value_names(
    *,
    version: RuleSetVersion | None = None,
    known: Mapping[str, Mapping[str, str]] | None = None,
) -> ValueNames:
    """The names the sentences show (sentences.ValueNames: language → book): `known` maps
    for a version's catalogues (a compiled rule set's specification has them), else read
    from `version` on first need (one query per catalogue, kept with this answer: one page),
    and the branches, products and product lines held per process. The same book is
    answered until the process's book is replaced (a name changed, or it grew old)."""
    books: dict[str, tuple[_SharedBook, _Book]] = {}
    from_version: dict[tuple[str, str], Mapping[str, str]] = {}

    def read_version(language: str, catalogue: str) -> Mapping[str, str]:
        key = (catalogue, language)
        held = from_version.get(key)
        if held is None:
            with translation.override(language):
                held = from_version[key] = dict(_read(catalogue, version=version))
        return held

    def names(language: str) -> _Book:
        shared = _shared_book(language)
        held = books.get(language)
        if held is not None and held[0] is shared:
            return held[1]
        reader = partial(read_version, shared.language) if version is not None else None
        book = _Book(known or {}, shared, reader)
        books[language] = (shared, book)
        return book

    return names


def value_names_forget() -> None:
    """Read the names of branches, products and product lines again on next use, in this
    process (after a change)."""
    for held in _shared.values():
        held.clear()


def _changed(**_kwargs) -> None:
    value_names_forget()
    transaction.on_commit(value_names_forget)


def _connect() -> None:
    # Branches are the kernel's (bankcore) models; products and product lines are announced by
    # the products app's facade (names_changed), whatever path changed them.
    uid = "authorization.value_names"
    post_save.connect(_changed, sender=OrgUnit, weak=False, dispatch_uid=f"{uid}.branch.save")
    post_delete.connect(_changed, sender=OrgUnit, weak=False, dispatch_uid=f"{uid}.branch.delete")
    names_changed.connect(_changed, weak=False, dispatch_uid=f"{uid}.products")


_connect()
