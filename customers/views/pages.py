"""Staff pages: search, the customer 360 view, create and edit. Each view makes one selector
or service call; scoping is in the selectors (a customer outside the user's branch is 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bankcore import ports
from bankcore.errors import DomainError, form_add_domain_error
from customers import selectors, services
from customers.forms import (
    CorporateCustomerForm,
    CustomerEditForm,
    CustomerSearchForm,
    DocumentAddForm,
    ExtensionValuesForm,
    PersonalCustomerForm,
)
from customers.models import CustomerType
from customers.validation import extension_value_typed

PAGE_SIZE = 20

# Where a service's field names land on the create forms.
_CREATE_FIELD_MAP = {
    "number": "document_number",
    "expiry_date": "document_expiry_date",
    "industry_code": "industry",
}


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_search(request: HttpRequest) -> HttpResponse:
    form = CustomerSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    text = filters.get("q", "").strip()
    if len(text) >= selectors.SEARCH_AS_YOU_TYPE_MIN_CHARS:
        # As the person types: number and document number by their first characters.
        customers = selectors.customer_search_for_user(
            user=request.user,
            text=text,
            customer_type=filters.get("customer_type", ""),
            status=filters.get("status", ""),
        )
    else:
        customers = selectors.customer_list_for_user(
            user=request.user,
            query=text,
            customer_type=filters.get("customer_type", ""),
            status=filters.get("status", ""),
        )
    page = Paginator(customers, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "customers/search.html",
        {"form": form, "page": page, "query": query.urlencode(), "today": timezone.localdate()},
    )


# How many customers the picker suggests at once (type more to narrow them down).
SUGGESTIONS = 8


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_pick(request: HttpRequest) -> HttpResponse:
    """Suggestions for a field that picks a customer, as the person types (htmx, see
    bankcore.widgets.LookupInput): the text comes under the field's own name, `field`."""
    field = request.GET.get("field", "q")
    text = request.GET.get(field, "")
    suggestions = list(
        selectors.customer_search_for_user(user=request.user, text=text)[: SUGGESTIONS + 1]
    )
    return render(
        request,
        "customers/_suggestions.html",
        {
            "suggestions": suggestions[:SUGGESTIONS],
            "more": len(suggestions) > SUGGESTIONS,
            "searched": len(text.strip()) >= selectors.SEARCH_AS_YOU_TYPE_MIN_CHARS,
        },
    )


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_detail(request: HttpRequest, customer_no: str) -> HttpResponse:
    customer = _customer_or_404(request, customer_no)
    today = timezone.localdate()
    values = {v.attribute.code: v for v in customer.extension_values.all()}
    extensions = [
        {
            "attribute": attribute,
            "value": extension_value_typed(attribute, values[attribute.code].value)
            if attribute.code in values
            else None,
        }
        for attribute in services.extension_attributes_for(customer.customer_type)
    ]
    return render(
        request,
        "customers/detail.html",
        {
            "customer": customer,
            "basic": customer.basic,
            "documents": [(d, d.is_expired_on(today)) for d in customer.documents.all()],
            "extensions": extensions,
            "history": selectors.customer_history(customer=customer),
            "status_changes": selectors.status_changes_of(customer=customer)[:5],
            # Through the kernel port: products opened them, and customers may not import it.
            "accounts": ports.customer_accounts(customer_no=customer.customer_no, user=request.user)
            if request.user.has_perm("products.view_account")
            else None,
        },
    )


def _customer_or_404(request: HttpRequest, customer_no: str):
    try:
        return selectors.customer_360_for_user(user=request.user, customer_no=customer_no)
    except DomainError:
        raise Http404 from None


def _place_error(form, error: DomainError, field_map: dict[str, str]) -> None:
    fields = {}
    for name, messages_ in error.fields.items():
        if isinstance(messages_, dict):  # nested, e.g. opening_document.number
            for inner, inner_messages in messages_.items():
                fields[field_map.get(inner, inner)] = inner_messages
        else:
            fields[field_map.get(name, name)] = messages_
    form_add_domain_error(form, type(error)(error.message, fields=fields))


@login_required
@permission_required("customers.add_customer", raise_exception=True)
def customer_create(request: HttpRequest, customer_type: str) -> HttpResponse:
    form_class = {
        CustomerType.PERSONAL: PersonalCustomerForm,
        CustomerType.CORPORATE: CorporateCustomerForm,
    }.get(customer_type)
    if form_class is None:
        raise Http404
    form = form_class(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            customer = _create_from_form(form, customer_type=customer_type, user=request.user)
        except DomainError as error:
            _place_error(form, error, _CREATE_FIELD_MAP)
        else:
            messages.success(request, _("Customer %(no)s created.") % {"no": customer.customer_no})
            return redirect("customers:detail", customer_no=customer.customer_no)
    return render(
        request,
        "customers/form.html",
        {
            "form": form,
            "title": _("New personal customer")
            if customer_type == CustomerType.PERSONAL
            else _("New corporate customer"),
            "cancel_url": "customers:search",
        },
    )


def _create_from_form(form, *, customer_type: str, user):
    data = form.cleaned_data
    common = {
        "name": data["name"],
        "home_branch": data["home_branch"],
        "is_domestic": data["is_domestic"],
        "opening_document": services.DocumentInput(
            document_type_code=data["document_type"].code,
            number=data["document_number"],
            expiry_date=data["document_expiry_date"],
        ),
        "contact_channels": [
            services.ContactInput(kind=kind, value=data[field], is_primary=True)
            for kind, field in (("mobile", "mobile"), ("email", "email"))
            if data.get(field)
        ],
        "addresses": [
            services.AddressInput(
                kind="residential" if customer_type == CustomerType.PERSONAL else "registered",
                line=data["address_line"],
            )
        ]
        if data.get("address_line")
        else [],
        "created_by": user,
    }
    if customer_type == CustomerType.PERSONAL:
        return services.personal_customer_create(
            **common,
            gender=data["gender"],
            birth_date=data["birth_date"],
            nationality=data["nationality"].upper(),
            vip_level=data["vip_level"],
            is_employee=data["is_employee"],
        )
    return services.corporate_customer_create(
        **common,
        industry_code=data["industry"].code,
        economic_type=data["economic_type"],
        registration_region_code=data["registration_region_code"],
        is_interbank=data["is_interbank"],
    )


@login_required
@permission_required("customers.change_customer", raise_exception=True)
def customer_edit(request: HttpRequest, customer_no: str) -> HttpResponse:
    customer = _customer_or_404(request, customer_no)
    form = CustomerEditForm(request.POST or None, user=request.user, customer=customer)
    if request.method == "POST" and form.is_valid():
        try:
            services.customer_update(
                customer=customer, changes=form.changes(), changed_by=request.user
            )
        except DomainError as error:
            _place_error(form, error, {"industry_code": "industry"})
        else:
            messages.success(request, _("Customer %(no)s saved.") % {"no": customer_no})
            return redirect("customers:detail", customer_no=customer_no)
    return render(
        request,
        "customers/form.html",
        {
            "form": form,
            "title": _("Edit customer %(no)s") % {"no": customer_no},
            "customer": customer,
        },
    )


@login_required
@permission_required("customers.add_customerdocument", raise_exception=True)
def document_add(request: HttpRequest, customer_no: str) -> HttpResponse:
    customer = _customer_or_404(request, customer_no)
    form = DocumentAddForm(request.POST or None, customer=customer)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.document_add(
                customer=customer,
                document=services.DocumentInput(
                    document_type_code=data["document_type"].code,
                    number=data["number"],
                    issue_date=data["issue_date"],
                    expiry_date=data["expiry_date"],
                    issuing_authority=data["issuing_authority"],
                ),
                added_by=request.user,
                make_opening_document=data["is_opening_document"],
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Document added."))
            return redirect("customers:detail", customer_no=customer_no)
    return render(
        request,
        "customers/form.html",
        {"form": form, "title": _("Add an ID document"), "customer": customer},
    )


@login_required
@permission_required("customers.change_extensionvalue", raise_exception=True)
def extensions_edit(request: HttpRequest, customer_no: str) -> HttpResponse:
    customer = _customer_or_404(request, customer_no)
    attributes = services.extension_attributes_for(customer.customer_type)
    current = {v.attribute.code: v.value for v in customer.extension_values.all()}
    form = ExtensionValuesForm(request.POST or None, attributes=attributes, current=current)
    if request.method == "POST" and form.is_valid():
        values = {
            code: value
            for code, value in form.cleaned_data.items()
            if (value or None) != (current.get(code) or None)
        }
        try:
            services.customer_extensions_set(
                customer=customer, values=values, changed_by=request.user
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Extension values saved."))
            return redirect("customers:detail", customer_no=customer_no)
    return render(
        request,
        "customers/form.html",
        {"form": form, "title": _("Extended information"), "customer": customer},
    )
