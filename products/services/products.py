"""Products: created from a template, copied, and modified (a draft in place; an active one
by a new version, with a second administrator's approval)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from bankcore.catalogues import translations
from bankcore.four_eyes import ProposalStatus, proposal_decider_check
from bankcore.models import User
from products.models import (
    Account,
    BusinessNature,
    CustomerGroup,
    PrincipleLevel,
    Product,
    ProductComponent,
    ProductEvent,
    ProductModel,
    ProductParameter,
    ProductProposal,
    ProductStatus,
    ProductTemplate,
    ProductVersion,
)
from products.services.checks import SettingValue, binding_rule_errors
from products.services.codes import product_code_next
from products.services.errors import (
    ProductAwaitingApproval,
    ProductChangeNeedsApproval,
    ProductInvalid,
    ProductStateConflict,
    SystemPrincipleChange,
)
from products.services.settings import definitions_by_code, setting_dict, settings_apply


def _components_clean(*, model: str, components: list | None) -> list[tuple[Product, str]]:
    components = components or []
    if model == ProductModel.SINGLE:
        if components:
            raise ProductInvalid(fields={"components": [_("A single product has no components.")]})
        return []
    if len(components) < 2:
        raise ProductInvalid(
            fields={
                "components": [
                    _("Composite and combined products bind at least two single products.")
                ]
            }
        )
    codes = [item["product_code"] for item in components]
    found = {p.product_code: p for p in Product.objects.filter(product_code__in=codes)}
    errors = []
    for code in codes:
        product = found.get(code)
        if product is None:
            errors.append(_("No product has the code %(code)s.") % {"code": code})
        elif product.model != ProductModel.SINGLE:
            errors.append(_("%(code)s is not a single product.") % {"code": code})
    if len(set(codes)) != len(codes):
        errors.append(_("A component is listed twice."))
    if errors:
        raise ProductInvalid(fields={"components": errors})
    return [(found[item["product_code"]], item.get("binding_rule", "")) for item in components]


def _components_write(*, product: Product, components: list[tuple[Product, str]]) -> None:
    ProductComponent.objects.filter(product=product).delete()
    ProductComponent.objects.bulk_create(
        ProductComponent(product=product, component=component, binding_rule=rule, sort_order=index)
        for index, (component, rule) in enumerate(components)
    )


def _choice_check(field: str, value: str, choices) -> None:
    if value not in choices:
        raise ProductInvalid(
            fields={field: [_("Choose one of %(choices)s.") % {"choices": ", ".join(choices)}]}
        )


def _draft_create(
    *, change_note: str, created_by, now: datetime, **fields
) -> tuple[Product, ProductVersion]:
    """A new draft product under a freshly drawn code, with its version 1 (empty)."""
    product = Product.objects.create(
        product_code=product_code_next(
            line=fields["line"],
            customer_group=fields["customer_group"],
            business_nature=fields["business_nature"],
        ),
        created_at=now,
        created_by=created_by,
        **fields,
    )
    version = ProductVersion.objects.create(
        product=product, number=1, created_at=now, created_by=created_by, change_note=change_note
    )
    return product, version


def product_create_from_template(
    *,
    template_code: str,
    name: str,
    created_by,
    now: datetime,
    description: str = "",
    customer_group: str | None = None,
    business_nature: str | None = None,
    model: str = ProductModel.SINGLE,
    parameters: dict | None = None,
    components: list | None = None,
    name_zh_hans: str = "",
    description_zh_hans: str = "",
) -> Product:
    """New draft product (version 1) from a line's template, with `parameters` changing the
    template's presets (locked ones cannot change). `name` and `description` are in English,
    the `_zh_hans` ones in Chinese. Raises ProductInvalid."""
    template = (
        ProductTemplate.objects.select_related("line")
        .filter(code=template_code, is_active=True)
        .first()
    )
    if template is None:
        raise ProductInvalid(fields={"template": [_("No active template has this code.")]})
    customer_group = customer_group or template.customer_group
    business_nature = business_nature or template.business_nature
    _choice_check("customer_group", customer_group, CustomerGroup.values)
    _choice_check("business_nature", business_nature, BusinessNature.values)
    _choice_check("model", model, ProductModel.values)
    if not name.strip():
        raise ProductInvalid(fields={"name": [_("A product needs a name.")]})
    bound_components = _components_clean(model=model, components=components)
    rows = {row.definition.code: row for row in template.parameters.select_related("definition")}
    clean, errors = settings_apply(rows=rows, changes=parameters or {}, line=template.line)
    if errors:
        raise ProductInvalid(_("Some parameters are not valid."), fields=errors)
    settings = {
        code: (setting_dict(row), row.is_locked, row.definition) for code, row in rows.items()
    }
    definitions = definitions_by_code(set(clean) - set(rows))
    for code, setting in clean.items():
        locked = settings[code][1] if code in settings else False
        definition = settings[code][2] if code in settings else definitions[code]
        settings[code] = (setting, locked, definition)
    with transaction.atomic():
        product, version = _draft_create(
            change_note=_("Created from template %(code)s") % {"code": template.code},
            created_by=created_by,
            now=now,
            **translations(Product, "name", name.strip(), name_zh_hans.strip()),
            **translations(Product, "description", description, description_zh_hans),
            line=template.line,
            model=model,
            customer_group=customer_group,
            business_nature=business_nature,
            template=template,
        )
        ProductParameter.objects.bulk_create(
            ProductParameter(version=version, definition=definition, is_locked=locked, **setting)
            for setting, locked, definition in settings.values()
        )
        _components_write(product=product, components=bound_components)
    return product


def product_copy(*, product: Product, name: str, created_by, now: datetime) -> Product:
    """An independent draft with the source's latest values (its own code and version 1)."""
    source_version = product.versions.order_by("-number").first()
    with transaction.atomic():
        copy, version = _draft_create(
            change_note=_("Copied from %(code)s v%(number)s")
            % {"code": product.product_code, "number": source_version.number},
            created_by=created_by,
            now=now,
            name=(name or "").strip() or _("Copy of %(name)s") % {"name": product.name},
            line=product.line,
            model=product.model,
            customer_group=product.customer_group,
            business_nature=product.business_nature,
            description=product.description,
            template=product.template,
            copied_from=product,
        )
        _parameters_copy(source=source_version, target=version)
        components = [
            (item.component, item.binding_rule)
            for item in product.components.select_related("component").order_by("sort_order")
        ]
        _components_write(product=copy, components=components)
    return copy


# Who may approve a product change proposed by someone else (parameter administrators).
APPROVE_PERMISSION = "products.publish_product"


class _ValidatedOnly(Exception):
    """Rolls back a change that was only checked (validate_only)."""


def product_modify(
    *,
    product: Product,
    modified_by: User | None,
    now: datetime,
    name: str | None = None,
    description: str | None = None,
    parameters: dict | None = None,
    components: list | None = None,
    change_note: str = "",
    approved_by: User | None = None,
    proposal: ProductProposal | None = None,
    validate_only: bool = False,
) -> ProductVersion | None:
    """Change a product. A draft changes in place (version 1), unless its publication awaits
    approval; an active or suspended product gets a new version (copy-on-write) that new
    accounts open on, while existing accounts keep theirs, and only with a second parameter
    administrator's approval (`approved_by`, through `products.proposals`). System principle
    values cannot change once the product has accounts. `validate_only` checks the change
    and writes nothing (returns None). Returns the version holding the change."""
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        if not validate_only:
            if locked.status == ProductStatus.DRAFT:
                if ProductProposal.objects.filter(
                    product=locked, status=ProposalStatus.PENDING
                ).exists():
                    raise ProductAwaitingApproval()
            elif approved_by is None:
                raise ProductChangeNeedsApproval()
            else:
                proposal_decider_check(
                    proposed_by_id=modified_by.pk if modified_by else None,
                    decided_by=approved_by,
                    permission=APPROVE_PERMISSION,
                )
        try:
            with transaction.atomic():
                version = _product_modify(
                    product=locked,
                    modified_by=modified_by,
                    approved_by=approved_by,
                    proposal=proposal,
                    now=now,
                    name=name,
                    description=description,
                    parameters=parameters,
                    components=components,
                    change_note=change_note,
                )
                if validate_only:
                    raise _ValidatedOnly
        except _ValidatedOnly:
            return None
    return version


def _product_modify(
    *,
    product: Product,
    modified_by: User | None,
    approved_by: User | None,
    proposal: ProductProposal | None,
    now: datetime,
    name: str | None,
    description: str | None,
    parameters: dict | None,
    components: list | None,
    change_note: str,
) -> ProductVersion:
    with transaction.atomic():
        product = Product.objects.select_for_update().select_related("line").get(pk=product.pk)
        if product.status == ProductStatus.RETIRED:
            raise ProductStateConflict(_("A retired product cannot be modified."))
        latest = product.versions.order_by("-number").first()
        rows = {row.definition.code: row for row in latest.parameters.select_related("definition")}
        clean, errors = settings_apply(rows=rows, changes=parameters or {}, line=product.line)
        if errors:
            raise ProductInvalid(_("Some parameters are not valid."), fields=errors)
        merged = {
            code: SettingValue(definition=row.definition, value=row.value)
            for code, row in rows.items()
        }
        definitions_new = definitions_by_code(set(clean) - set(rows))
        for code, setting in clean.items():
            definition = rows[code].definition if code in rows else definitions_new[code]
            merged[code] = SettingValue(definition=definition, value=setting["value"])
        before = binding_rule_errors(
            settings={
                code: SettingValue(definition=row.definition, value=row.value)
                for code, row in rows.items()
            }
        )
        # The rules this change breaks (a draft made before a rule existed may still break
        # it; publishing reports that).
        broken = {
            field: [m for m in messages if m not in before.get(field, [])]
            for field, messages in binding_rule_errors(settings=merged).items()
        }
        broken = {field: messages for field, messages in broken.items() if messages}
        if broken:
            raise ProductInvalid(_("Some parameters contradict each other."), fields=broken)
        changed = {
            code: setting
            for code, setting in clean.items()
            if code not in rows or setting_dict(rows[code]) != setting
        }
        system_changed = [
            code
            for code, setting in changed.items()
            if setting["principle_level"] == PrincipleLevel.SYSTEM and code in rows
        ]
        if system_changed and Account.objects.filter(product=product).exists():
            raise SystemPrincipleChange(
                _(
                    "System principle values cannot change on a product that has accounts: %(codes)s."
                )
                % {"codes": ", ".join(system_changed)},
                fields={
                    f"parameters.{code}": [SystemPrincipleChange.default_message]
                    for code in system_changed
                },
            )
        bound_components = None
        if components is not None:
            bound_components = _components_clean(model=product.model, components=components)
        if name is not None:
            if not name.strip():
                raise ProductInvalid(fields={"name": [_("A product needs a name.")]})
            product.name_en = name.strip()  # English: the Chinese is kept (or edited apart)
        if description is not None:
            product.description_en = description
        product.save(update_fields=["name", "name_en", "description", "description_en"])
        if bound_components is not None:
            _components_write(product=product, components=bound_components)
        if product.status == ProductStatus.DRAFT:
            version = latest
        else:
            if not changed:
                return latest
            version = ProductVersion.objects.create(
                product=product,
                number=latest.number + 1,
                created_at=now,
                created_by=modified_by,
                approved_by=approved_by,
                change_note=change_note,
            )
            _parameters_copy(source=latest, target=version)
            product.active_version = version
            product.save(update_fields=["active_version"])
            ProductEvent.objects.create(
                product=product,
                action="modify",
                from_status=product.status,
                to_status=product.status,
                acted_by=modified_by,
                approved_by=approved_by,
                version=version,
                proposal=proposal,
                occurred_at=now,
            )
        if change_note and version.change_note != change_note:
            version.change_note = change_note
            version.save(update_fields=["change_note"])
        definitions = definitions_by_code(set(changed) - set(rows))
        for code, setting in changed.items():
            if code in rows:
                ProductParameter.objects.filter(
                    version=version, definition_id=rows[code].definition_id
                ).update(**setting)
            else:
                ProductParameter.objects.create(
                    version=version, definition=definitions[code], **setting
                )
    return version


def _parameters_copy(*, source: ProductVersion, target: ProductVersion) -> None:
    ProductParameter.objects.bulk_create(
        ProductParameter(
            version=target,
            definition_id=row.definition_id,
            is_locked=row.is_locked,
            **setting_dict(row),
        )
        for row in source.parameters.all()
    )
