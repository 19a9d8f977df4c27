"""A product line's templates: preset values and which of them are locked."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from bankcore.catalogues import translations
from products.models import ProductLine, ProductTemplate, TemplateParameter
from products.services.errors import ProductInvalid
from products.services.settings import definitions_by_code, setting_dict, settings_apply


def product_template_create(
    *,
    code: str,
    name: str,
    line_code: str,
    customer_group: str,
    business_nature: str,
    description: str = "",
    parameters: dict,
    locked: list[str] | tuple[str, ...] = (),
) -> ProductTemplate:
    """A line's template: preset values; `locked` parameters cannot change in its products."""
    line = ProductLine.objects.filter(code=line_code).first()
    if line is None:
        raise ProductInvalid(fields={"line": [_("Unknown product line.")]})
    if ProductTemplate.objects.filter(code=code).exists():
        raise ProductInvalid(fields={"code": [_("A template with this code already exists.")]})
    clean, errors = settings_apply(rows={}, changes=parameters, line=line)
    unknown_locks = set(locked) - set(clean)
    if unknown_locks:
        errors["locked"] = [
            _("Lock only parameters the template sets: %(codes)s.")
            % {"codes": ", ".join(sorted(unknown_locks))}
        ]
    if errors:
        raise ProductInvalid(_("Some parameters are not valid."), fields=errors)
    definitions = definitions_by_code(clean)
    with transaction.atomic():
        template = ProductTemplate.objects.create(
            code=code,
            **translations(ProductTemplate, "name", name, ""),
            line=line,
            customer_group=customer_group,
            business_nature=business_nature,
            **translations(ProductTemplate, "description", description, ""),
        )
        TemplateParameter.objects.bulk_create(
            TemplateParameter(
                template=template, definition=definitions[c], is_locked=c in locked, **setting
            )
            for c, setting in clean.items()
        )
    return template


def product_template_update(
    *,
    template: ProductTemplate,
    name: str | None = None,
    description: str | None = None,
    is_active: bool | None = None,
    parameters: dict | None = None,
    locked: list[str] | tuple[str, ...] | None = None,
) -> ProductTemplate:
    """Change a template's presets (values, principle levels, bounds) and which of them are
    locked. Products already made from it keep their own values. Raises ProductInvalid."""
    with transaction.atomic():
        template = (
            ProductTemplate.objects.select_for_update().select_related("line").get(pk=template.pk)
        )
        rows = {
            row.definition.code: row for row in template.parameters.select_related("definition")
        }
        clean, errors = settings_apply(
            rows=rows, changes=parameters or {}, line=template.line, respect_locks=False
        )
        known = set(rows) | set(clean)
        if locked is not None and set(locked) - known:
            errors["locked"] = [
                _("Lock only parameters the template sets: %(codes)s.")
                % {"codes": ", ".join(sorted(set(locked) - known))}
            ]
        if name is not None and not name.strip():
            errors["name"] = [_("A template needs a name.")]
        if errors:
            raise ProductInvalid(_("Some parameters are not valid."), fields=errors)
        if name is not None:
            template.name_en = name.strip()  # English: the Chinese is kept (or edited apart)
        if description is not None:
            template.description_en = description
        if is_active is not None:
            template.is_active = is_active
        template.save(
            update_fields=["name", "name_en", "description", "description_en", "is_active"]
        )
        definitions = definitions_by_code(set(clean) - set(rows))
        for code, setting in clean.items():
            if code in rows:
                if setting_dict(rows[code]) != setting:
                    TemplateParameter.objects.filter(pk=rows[code].pk).update(**setting)
            else:
                TemplateParameter.objects.create(
                    template=template, definition=definitions[code], **setting
                )
        if locked is not None:
            TemplateParameter.objects.filter(template=template).update(is_locked=False)
            TemplateParameter.objects.filter(
                template=template, definition__code__in=list(locked)
            ).update(is_locked=True)
    return template
