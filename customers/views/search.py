from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
@permission_required("customers.view_customer", raise_exception=True)
def customer_search(request: HttpRequest) -> HttpResponse:
    return render(request, "customers/search.html", {"customers": []})
