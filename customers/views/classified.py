"""Staff pages: adding and removing a customer's contact channels, addresses and
relationships from the 360 page (one service call each; the change is recorded there)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankcore.errors import DomainError, form_add_domain_error
from customers import selectors, services
from customers.forms import AddressAddForm, ContactAddForm, RelationshipAddForm


def _customer_index_or_404(request: HttpRequest, customer_no: str):
    try:
        return selectors.customer_for_user(user=request.user, customer_no=customer_no)
    except DomainError:
        raise Http404 from None


def _classified_add_page(
    request, customer_no: str, *, form_class, add, title, done
) -> HttpResponse:
    customer = _customer_index_or_404(request, customer_no)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            add(customer, form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, done)
            return redirect("customers:detail", customer_no=customer.customer_no)
    return render(
        request, "customers/form.html", {"form": form, "title": title, "customer": customer}
    )


def _classified_remove(request, customer_no: str, *, remove, done) -> HttpResponse:
    customer = _customer_index_or_404(request, customer_no)
    try:
        remove(customer)
    except services.ClassifiedRowNotFound:
        raise Http404 from None
    messages.success(request, done)
    return redirect("customers:detail", customer_no=customer.customer_no)


@login_required
@permission_required("customers.add_contactchannel", raise_exception=True)
def contact_add(request: HttpRequest, customer_no: str) -> HttpResponse:
    def add(customer, data):
        services.contact_channel_add(
            customer=customer,
            contact=services.ContactInput(
                kind=data["kind"], value=data["value"], is_primary=data["is_primary"]
            ),
            added_by=request.user,
        )

    return _classified_add_page(
        request,
        customer_no,
        form_class=ContactAddForm,
        add=add,
        title=_("Add a phone number or email"),
        done=_("Contact channel added."),
    )


@login_required
@require_POST
@permission_required("customers.delete_contactchannel", raise_exception=True)
def contact_remove(request: HttpRequest, customer_no: str, row_id: int) -> HttpResponse:
    return _classified_remove(
        request,
        customer_no,
        remove=lambda customer: services.contact_channel_remove(
            customer=customer, contact_channel_id=row_id, removed_by=request.user
        ),
        done=_("Contact channel removed."),
    )


@login_required
@permission_required("customers.add_address", raise_exception=True)
def address_add(request: HttpRequest, customer_no: str) -> HttpResponse:
    def add(customer, data):
        services.address_add(
            customer=customer, address=services.AddressInput(**data), added_by=request.user
        )

    return _classified_add_page(
        request,
        customer_no,
        form_class=AddressAddForm,
        add=add,
        title=_("Add an address"),
        done=_("Address added."),
    )


@login_required
@require_POST
@permission_required("customers.delete_address", raise_exception=True)
def address_remove(request: HttpRequest, customer_no: str, row_id: int) -> HttpResponse:
    return _classified_remove(
        request,
        customer_no,
        remove=lambda customer: services.address_remove(
            customer=customer, address_id=row_id, removed_by=request.user
        ),
        done=_("Address removed."),
    )


@login_required
@permission_required("customers.add_customerrelationship", raise_exception=True)
def relationship_add(request: HttpRequest, customer_no: str) -> HttpResponse:
    def add(customer, data):
        services.relationship_add_by_customer_no(customer=customer, added_by=request.user, **data)

    return _classified_add_page(
        request,
        customer_no,
        form_class=RelationshipAddForm,
        add=add,
        title=_("Add a relationship"),
        done=_("Relationship added."),
    )


@login_required
@require_POST
@permission_required("customers.delete_customerrelationship", raise_exception=True)
def relationship_remove(request: HttpRequest, customer_no: str, row_id: int) -> HttpResponse:
    return _classified_remove(
        request,
        customer_no,
        remove=lambda customer: services.relationship_remove(
            customer=customer, relationship_id=row_id, removed_by=request.user
        ),
        done=_("Relationship ended."),
    )
