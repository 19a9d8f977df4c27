"""Form widgets every app's pages share."""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.urls import reverse


class LookupInput(forms.TextInput):
    """A text input that suggests values as the person types.

    htmx asks the page named `url_name` (after a short pause in typing) with the input's own
    value under its own name, plus `field=<that name>`; the answer is a list of buttons
    carrying `data-lookup-value`, shown under the input. Picking one (click, or Enter on it;
    the arrow keys move between them, Escape closes the list) fills the input:
    static/js/lookup.js. Without JavaScript it stays a plain text input.
    """

    template_name = "bankcore/widgets/lookup_input.html"

    def __init__(self, url_name: str, attrs: dict | None = None):
        self.url_name = url_name
        super().__init__(attrs)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_attrs = context["widget"]["attrs"]
        input_id = widget_attrs.get("id") or f"id_{name}"
        widget_attrs["id"] = input_id
        suggestions_id = f"{input_id}-suggestions"
        widget_attrs.update(
            {
                "autocomplete": "off",
                "hx-get": f"{reverse(self.url_name)}?{urlencode({'field': name})}",
                "hx-trigger": "input changed delay:250ms, search",
                "hx-target": f"#{suggestions_id}",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
                "aria-controls": suggestions_id,
                "aria-autocomplete": "list",
                "data-lookup-input": "",
            }
        )
        context["widget"]["suggestions_id"] = suggestions_id
        return context
