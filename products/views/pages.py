"""Server-rendered pages. Thin: each view calls one selector or service and renders."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankcore.errors import DomainError, form_add_domain_error
from products import proposals, selectors, services
from products.forms import (
    PARAMETER_PREFIX,
    AccountOpenForm,
    ParameterDefinitionEditForm,
    ParameterDefinitionForm,
    ProductCopyForm,
    ProductCreateForm,
    ProductDesignForm,
    TemplateEditForm,
    choices_text,
)
from products.models import PrincipleLevel, ProductProposal, ProductStatus, Zone
from products.opening import override_status
from products.parameters import bounds_text
from products.selectors import (
    AccountNotFound,
    ParameterDefinitionNotFound,
    ProductNotFound,
    ProductTemplateNotFound,
)


def _product_or_404(product_code: str):
    try:
        return selectors.product_detail(product_code=product_code)
    except ProductNotFound as exc:
        raise Http404 from exc


@login_required
@permission_required("products.view_product", raise_exception=True)
def product_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status") or None
    line = request.GET.get("line") or None
    return render(
        request,
        "products/product_list.html",
        {
            "products": selectors.product_list(status=status, line_code=line)[:500],
            "lines": selectors.product_line_list(),
            "statuses": ProductStatus.choices,
            "status": status,
            "line": line,
        },
    )


@login_required
@permission_required("products.view_producttemplate", raise_exception=True)
def template_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "products/template_list.html", {"templates": selectors.product_template_list()}
    )


@login_required
@permission_required("products.add_product", raise_exception=True)
def product_create(request: HttpRequest, template_code: str) -> HttpResponse:
    template = selectors.product_template_list().filter(code=template_code, is_active=True).first()
    if template is None:
        raise Http404
    form = ProductCreateForm(
        request.POST or None,
        initial={
            "customer_group": template.customer_group,
            "business_nature": template.business_nature,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_create_from_template(
                template_code=template.code,
                created_by=request.user,
                now=timezone.now(),
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Draft %(code)s created.") % {"code": product.product_code})
            return redirect("products:designer", product_code=product.product_code)
    return render(request, "products/product_create.html", {"template": template, "form": form})


@login_required
@permission_required("products.view_product", raise_exception=True)
def product_designer(request: HttpRequest, product_code: str) -> HttpResponse:
    """The designer: one tab per zone; saving a draft edits it, saving an active product
    writes a new version."""
    product = _product_or_404(product_code)
    latest = selectors.product_version_of(product=product)
    settings = list(latest.parameters.all())
    can_change = (
        request.user.has_perm("products.change_product") and product.status != ProductStatus.RETIRED
    )
    form = ProductDesignForm(
        request.POST if request.method == "POST" else None,
        settings=settings,
        # The designer edits the English text (the Chinese is kept): it is what saving sets.
        initial={"name": product.name_en, "description": product.description_en},
    )
    if request.method == "POST":
        if not can_change:
            return render(request, "403.html", status=403)
        if form.is_valid():
            try:
                result = proposals.product_change_submit(
                    product=product,
                    submitted_by=request.user,
                    now=timezone.now(),
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    change_note=form.cleaned_data["change_note"],
                    parameters=form.parameter_changes(),
                )
            except DomainError as error:
                form.add_domain_error(error)
            else:
                if isinstance(result, ProductProposal):
                    messages.success(
                        request,
                        _(
                            "Change proposed; it takes effect when another parameter "
                            "administrator approves it."
                        ),
                    )
                    return redirect("products:proposals")
                messages.success(
                    request, _("Saved as version %(number)s.") % {"number": result.number}
                )
                return redirect("products:designer", product_code=product.product_code)
    versions = list(product.versions.all())
    zones = [(zone, label, form.zone_rows(zone)) for zone, label in Zone.choices]
    zone_errors = {
        zone
        for zone, _label, rows in zones
        if any(
            row["value"].errors
            or (row["level"] and row["level"].errors)
            or any(b.errors for b in row["bounds"])
            for row in rows
        )
    }
    # After a refused save, open the first zone that holds an error.
    active_zone = next((zone for zone, _l, _r in zones if zone in zone_errors), zones[0][0])
    return render(
        request,
        "products/product_designer.html",
        {
            "active_zone": active_zone,
            "levels": PrincipleLevel.choices,
            "product": product,
            "form": form,
            "zones": zones,
            "versions": versions,
            "latest": latest,
            "can_change": can_change,
            "can_publish": request.user.has_perm("products.publish_product"),
            "pending_proposal": proposals.product_pending_proposal(product=product),
            "events": selectors.product_events(product=product),
            "copy_form": ProductCopyForm(),
            "zone_errors": zone_errors,
        },
    )


@login_required
@require_POST
@permission_required("products.publish_product", raise_exception=True)
def product_action(request: HttpRequest, product_code: str, action: str) -> HttpResponse:
    if action != "publish" and action not in services.PRODUCT_ACTIONS:
        raise Http404
    product = _product_or_404(product_code)
    try:
        if action == "publish":
            proposals.product_publication_propose(
                product=product, proposed_by=request.user, now=timezone.now()
            )
        else:
            product = services.product_lifecycle_act(
                product=product, action=action, acted_by=request.user, now=timezone.now()
            )
    except DomainError as error:
        messages.error(
            request, f"{error.message} {' '.join(m for ms in error.fields.values() for m in ms)}"
        )
    else:
        if action == "publish":
            messages.success(
                request,
                _(
                    "Publication of %(code)s proposed; it takes effect when another parameter "
                    "administrator approves it."
                )
                % {"code": product.product_code},
            )
            return redirect("products:proposals")
        messages.success(
            request,
            _("%(code)s is now %(status)s.")
            % {"code": product.product_code, "status": product.get_status_display()},
        )
    return redirect("products:designer", product_code=product_code)


@login_required
@permission_required("products.view_product", raise_exception=True)
def proposal_list(request: HttpRequest) -> HttpResponse:
    rows = [
        (proposal, proposals.proposal_change_lines(proposal))
        for proposal in proposals.product_proposal_list()
    ]
    return render(
        request,
        "products/proposal_list.html",
        {"rows": rows, "can_decide": request.user.has_perm("products.publish_product")},
    )


def _proposal_or_404(proposal_id: int):
    try:
        return proposals.product_proposal_get(proposal_id=proposal_id)
    except proposals.ProductProposalNotFound as exc:
        raise Http404 from exc


@login_required
@require_POST
@permission_required("products.publish_product", raise_exception=True)
def proposal_decide(request: HttpRequest, proposal_id: int, decision: str) -> HttpResponse:
    """Approve, reject (with a comment) or withdraw (the proposer) a product change."""
    proposal = _proposal_or_404(proposal_id)
    now = timezone.now()
    try:
        if decision == "approve":
            proposals.product_proposal_approve(proposal=proposal, approved_by=request.user, now=now)
            text = _("Approved: the change of %(code)s is in effect.")
        elif decision == "reject":
            proposals.product_proposal_reject(
                proposal=proposal,
                rejected_by=request.user,
                comment=request.POST.get("comment", ""),
                now=now,
            )
            text = _("Rejected: %(code)s stays as it was.")
        elif decision == "withdraw":
            proposals.product_proposal_withdraw(
                proposal=proposal, withdrawn_by=request.user, now=now
            )
            text = _("Proposal withdrawn.")
        else:
            raise Http404
    except DomainError as error:
        messages.error(
            request, f"{error.message} {' '.join(m for ms in error.fields.values() for m in ms)}"
        )
        return redirect("products:proposals")
    messages.success(request, text % {"code": proposal.product.product_code})
    return redirect("products:designer", product_code=proposal.product.product_code)


@login_required
@require_POST
@permission_required("products.add_product", raise_exception=True)
def product_copy(request: HttpRequest, product_code: str) -> HttpResponse:
    source = _product_or_404(product_code)
    form = ProductCopyForm(request.POST)
    name = form.cleaned_data["name"] if form.is_valid() else ""
    copy = services.product_copy(
        product=source, name=name, created_by=request.user, now=timezone.now()
    )
    messages.success(request, _("Copied into draft %(code)s.") % {"code": copy.product_code})
    return redirect("products:designer", product_code=copy.product_code)


@login_required
@permission_required("products.view_product", raise_exception=True)
def product_diff(request: HttpRequest, product_code: str) -> HttpResponse:
    product = _product_or_404(product_code)
    versions = list(product.versions.all())
    try:
        right = int(request.GET.get("right") or versions[-1].number)
        left = int(request.GET.get("left") or max(1, right - 1))
        diff = selectors.product_version_diff(product=product, left=left, right=right)
    except (ValueError, ProductNotFound) as exc:
        raise Http404 from exc
    return render(
        request,
        "products/product_diff.html",
        {
            "product": product,
            "versions": versions,
            "left": left,
            "right": right,
            "diff": diff,
            "changed_only": request.GET.get("changed") == "1",
        },
    )


@login_required
@permission_required("products.add_account", raise_exception=True)
def account_open(request: HttpRequest) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    # From a product's page (?product=) or a customer's 360 view (?customer=).
    product_code = (source.get("product_code") or source.get("product") or "").strip()
    terms = selectors.account_opening_terms(product_code=product_code) if product_code else None
    form = AccountOpenForm(
        request.POST or None,
        terms=terms,
        initial={"product_code": product_code, "customer_no": request.GET.get("customer")},
    )
    if request.method == "POST" and not form.is_valid():
        # Every error at once: what parsed is checked against the product and the customer
        # too, beside the form's own errors.
        data = form.cleaned_data
        form.add_errors(
            services.account_opening_check(
                product_code=data.get("product_code") or "",
                customer_no=data.get("customer_no"),
                currency=data.get("currency"),
                opening_amount=data.get("opening_amount"),
                channel=data.get("channel"),
                medium=data.get("medium") or "",
                parameters=form.overrides,
                opened_by=request.user,
            )
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.user.org_unit_id is None:
                raise services.OpeningBranchRequired()
            opening = services.account_open(
                product_code=data["product_code"],
                customer_no=data["customer_no"].strip(),
                currency=data["currency"].strip().upper(),
                opening_amount=data["opening_amount"],
                channel=data["channel"],
                medium=data["medium"],
                parameters=form.overrides,
                opened_by=request.user,
                branch=request.user.org_unit,
                now=timezone.now(),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            decision = opening.decision
            if decision.required:
                messages.warning(
                    request,
                    _(
                        "Account %(no)s waits for authorization (%(mode)s, level %(level)s): "
                        "%(reasons)s."
                    )
                    % {
                        "no": opening.account.account_no,
                        "mode": decision.mode_label,
                        "level": decision.level,
                        "reasons": decision.reasons_text,
                    },
                )
            elif opening.needs_authorization:
                messages.warning(
                    request,
                    _("Account %(no)s waits for authorization of negotiated parameters: %(codes)s.")
                    % {
                        "no": opening.account.account_no,
                        "codes": ", ".join(opening.negotiated_parameters),
                    },
                )
            else:
                messages.success(
                    request, _("Account %(no)s is open.") % {"no": opening.account.account_no}
                )
            return redirect("products:account-detail", account_no=opening.account.account_no)
    return render(request, "products/account_open.html", {"form": form})


@login_required
@permission_required("products.view_account", raise_exception=True)
def account_detail(request: HttpRequest, account_no: str) -> HttpResponse:
    try:
        account = selectors.account_detail(user=request.user, account_no=account_no)
    except AccountNotFound as exc:
        raise Http404 from exc
    return render(
        request,
        "products/account_detail.html",
        {"account": account, "rows": selectors.account_parameter_rows(account=account)},
    )


# ---------------------------------------------------------------- catalogue and templates


@login_required
@permission_required("products.view_parameterdefinition", raise_exception=True)
def parameter_catalogue(request: HttpRequest) -> HttpResponse:
    """The parameter catalogue, one section per zone, with how much each parameter is used."""
    definitions = list(selectors.parameter_catalogue())
    for definition in definitions:
        # Human text of the bounds ("from 1 days to 30 years"), blank when unbounded.
        definition.bounds_display = (
            bounds_text(definition, definition.min_value, definition.max_value)
            if definition.min_value or definition.max_value
            else ""
        )
    zones = [
        (zone, label, [d for d in definitions if d.zone == zone]) for zone, label in Zone.choices
    ]
    return render(request, "products/parameter_catalogue.html", {"zones": zones})


@login_required
@permission_required("products.add_parameterdefinition", raise_exception=True)
def parameter_create(request: HttpRequest) -> HttpResponse:
    lines = list(selectors.product_line_list())
    form = ParameterDefinitionForm(
        request.POST or None,
        lines=lines,
        initial={"zone": request.GET.get("zone") or Zone.FEATURE, "principle_level": "default"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            definition = services.parameter_definition_create(**form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Parameter %(code)s added to the %(zone)s zone.")
                % {"code": definition.code, "zone": definition.get_zone_display()},
            )
            return redirect(f"{reverse('products:catalogue')}#zone-{definition.zone}")
    return render(request, "products/parameter_form.html", {"form": form, "definition": None})


@login_required
@permission_required("products.change_parameterdefinition", raise_exception=True)
def parameter_edit(request: HttpRequest, code: str) -> HttpResponse:
    try:
        definition = selectors.parameter_definition_get(code=code)
    except ParameterDefinitionNotFound as exc:
        raise Http404 from exc
    in_use = bool(definition.product_count or definition.template_count)
    form = ParameterDefinitionEditForm(
        request.POST or None,
        definition=definition,
        in_use=in_use,
        initial={
            "label": definition.label_en,
            "label_zh_hans": definition.label_zh_hans,
            "help_text": definition.help_text_en,
            "help_text_zh_hans": definition.help_text_zh_hans,
            "sort_order": definition.sort_order,
            "is_active": definition.is_active,
            "min_value": definition.min_value,
            "max_value": definition.max_value,
            "choices": choices_text(definition.choices),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.parameter_definition_update(definition=definition, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Parameter %(code)s saved.") % {"code": definition.code})
            return redirect(f"{reverse('products:catalogue')}#zone-{definition.zone}")
    return render(
        request,
        "products/parameter_form.html",
        {"form": form, "definition": definition, "in_use": in_use},
    )


@login_required
@permission_required("products.change_producttemplate", raise_exception=True)
def template_edit(request: HttpRequest, template_code: str) -> HttpResponse:
    """A template's presets in the designer's layout, with a "locked" box per parameter."""
    try:
        template = selectors.product_template_get(code=template_code)
    except ProductTemplateNotFound as exc:
        raise Http404 from exc
    form = TemplateEditForm(
        request.POST or None,
        settings=list(template.parameters.all()),
        initial={
            "name": template.name_en,
            "description": template.description_en,
            "is_active": template.is_active,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.product_template_update(
                template=template,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
                is_active=form.cleaned_data["is_active"],
                parameters=form.parameter_changes(),
                locked=form.locked_codes(),
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Template %(code)s saved.") % {"code": template.code})
            return redirect("products:templates")
    zones = [(zone, label, form.zone_rows(zone)) for zone, label in Zone.choices]
    zone_errors = {
        zone
        for zone, _label, rows in zones
        if any(row["value"].errors or any(b.errors for b in row["bounds"]) for row in rows)
    }
    return render(
        request,
        "products/template_edit.html",
        {
            "template": template,
            "form": form,
            "zones": zones,
            "zone_errors": zone_errors,
            "active_zone": next(
                (zone for zone, _l, _r in zones if zone in zone_errors), zones[0][0]
            ),
        },
    )


@login_required
@permission_required("products.add_account", raise_exception=True)
def product_pick(request: HttpRequest) -> HttpResponse:
    """Suggestions for a field that picks an active product, as the person types (htmx, see
    bankcore.widgets.LookupInput): the text comes under the field's own name, `field`."""
    field = request.GET.get("field", "q")
    text = request.GET.get(field, "")
    return render(
        request,
        "products/_product_suggestions.html",
        {"suggestions": selectors.product_pick(text=text), "searched": bool(text.strip())},
    )


@login_required
@permission_required("products.add_account", raise_exception=True)
def account_open_terms(request: HttpRequest) -> HttpResponse:
    """The product-dependent part of the open-account form (htmx, when the product changes):
    its currencies, channels, media and overridable parameters."""
    product_code = request.GET.get("product_code", "").strip()
    terms = selectors.account_opening_terms(product_code=product_code) if product_code else None
    form = AccountOpenForm(terms=terms, initial={"product_code": product_code})
    return render(request, "products/_account_open_terms.html", {"form": form})


@login_required
@permission_required("products.add_account", raise_exception=True)
def account_open_parameter(request: HttpRequest) -> HttpResponse:
    """What the value typed for one parameter means, before submitting (htmx): the product's
    value, free, "needs authorization" (negotiable range) or refused and why."""
    product_code = request.GET.get("product_code", "").strip()
    terms = selectors.account_opening_terms(product_code=product_code) if product_code else None
    form = AccountOpenForm(terms=terms)
    name = PARAMETER_PREFIX + request.GET.get("code", "")
    setting = form.parameter_settings.get(name)
    if setting is None:
        return HttpResponse(status=204)
    raw = form.fields[name].widget.value_from_datadict(request.GET, {}, name)
    status = override_status(setting=setting, raw=raw or "")
    return render(
        request,
        "products/_parameter_status.html",
        {"status": status, "code": setting.definition.code},
    )
