"""Catalogue and reference models: the rows whose names, labels and help texts users read.

Each app declares its catalogue models in its `translation.py` with `catalogue_register`,
which keeps the text in English and Simplified Chinese (django-modeltranslation: one column
per language beside the original, `name_en` / `name_zh_hans`; reading `name` gives the active
language, English when the Chinese is missing). The declarations are also the registry a test
walks: every row of every catalogue must have both languages.
"""

from __future__ import annotations

from django.db import models
from django.utils.text import capfirst, format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modeltranslation.translator import TranslationOptions, translator

# The languages catalogue text is kept in (settings.MODELTRANSLATION_LANGUAGES, as field
# suffixes).
CATALOGUE_LANGUAGES = ("en", "zh-hans")

_registry: dict[type[models.Model], tuple[str, ...]] = {}


def catalogue_register(model: type[models.Model], *, fields: tuple[str, ...]) -> None:
    """Declare `model` a catalogue whose `fields` users read, kept in both languages."""
    options = type(f"{model.__name__}Translation", (TranslationOptions,), {"fields": fields})
    translator.register(model, options)
    _registry[model] = fields


def catalogue_models() -> dict[type[models.Model], tuple[str, ...]]:
    """Every declared catalogue model and its translated fields."""
    return dict(_registry)


def localized_field(field: str, language: str) -> str:
    """`name`, "zh-hans" → `name_zh_hans`."""
    return f"{field}_{language.replace('-', '_')}"


def catalogue_language(language: str | None = None) -> str:
    """The catalogue language for `language` (the active one by default): Chinese for any
    zh variant, English otherwise."""
    language = language if language is not None else (get_language() or "en")
    return "zh-hans" if language.lower().startswith("zh") else "en"


def translations(model_or_row, field: str, english: str, chinese: str) -> dict[str, str]:
    """Keyword arguments setting `field` in both languages, for the fields the model has
    (migrations' historical models may not have them yet)."""
    meta = model_or_row._meta
    names = {f.name for f in meta.get_fields()}
    values = {field: english}
    for language, text in (("en", english), ("zh-hans", chinese)):
        name = localized_field(field, language)
        if name in names:
            values[name] = text
    return values


_LANGUAGE_NAMES = {"en": _("English"), "zh-hans": _("Chinese")}


def bilingual_fields(*fields: str) -> list[str]:
    """A form's field list with each catalogue text in both languages (`name` →
    `name_en`, `name_zh_hans`)."""
    return [
        localized_field(field, language) for field in fields for language in CATALOGUE_LANGUAGES
    ]


def bilingual_labels(form) -> None:
    """Label a form's catalogue text fields "Name (English)" / "Name (Chinese)". The English
    is required as the original is; the Chinese may wait (English is shown meanwhile)."""
    for field_name, field in form.fields.items():
        for language in CATALOGUE_LANGUAGES:
            suffix = "_" + language.replace("-", "_")
            if not field_name.endswith(suffix):
                continue
            base = form._meta.model._meta.get_field(field_name.removesuffix(suffix))
            field.label = format_lazy(
                "{} ({})", capfirst(base.verbose_name), _LANGUAGE_NAMES[language]
            )
            field.required = language == "en" and not base.blank
