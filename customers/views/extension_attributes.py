"""Staff pages: the extension attributes parameter administrators define and (de)activate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bankcore.errors import DomainError, form_add_domain_error
from customers import selectors, services
from customers.forms import ExtensionAttributeForm


@login_required
@permission_required("customers.view_extensionattribute", raise_exception=True)
def extension_attributes(request: HttpRequest) -> HttpResponse:
    """The list of defined attributes, and (with the add permission) the form for a new one."""
    can_add = request.user.has_perm("customers.add_extensionattribute")
    form = ExtensionAttributeForm(request.POST or None) if can_add else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                attribute = services.extension_attribute_create(**form.cleaned_data)
            except DomainError as error:
                form_add_domain_error(form, error)
            else:
                messages.success(
                    request, _("Attribute %(code)s defined.") % {"code": attribute.code}
                )
                return redirect("customers:extension-attributes")
    return render(
        request,
        "customers/extension_attributes.html",
        {"attributes": selectors.extension_attributes(), "form": form},
    )


@login_required
@require_POST
@permission_required("customers.change_extensionattribute", raise_exception=True)
def extension_attribute_set_active(request: HttpRequest, attribute_id: int) -> HttpResponse:
    is_active = request.POST.get("is_active") == "true"
    try:
        attribute = services.extension_attribute_set_active(
            attribute_id=attribute_id, is_active=is_active
        )
    except services.ExtensionAttributeNotFound:
        raise Http404 from None
    message = (
        _("Attribute %(code)s reactivated.")
        if is_active
        else _("Attribute %(code)s deactivated: it is no longer offered or accepted.")
    )
    messages.success(request, message % {"code": attribute.code})
    return redirect("customers:extension-attributes")
