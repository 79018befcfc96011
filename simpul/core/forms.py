"""Form helpers shared by every app."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse_lazy


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, field_map: Mapping[str, str] | None = None
) -> None:
    """Show a service's ValidationError on the form, next to the field it names.

    Services validate with full_clean(), so their errors use model field
    names; `field_map` translates those the form calls differently.
    """
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            target = field_map.get(name, name)
            if target == NON_FIELD_ERRORS or target not in form.fields:
                target = None  # type: ignore[assignment]
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


def cascade_attrs(url_name: str, target: str) -> dict[str, Any]:
    """HTMX attributes: when this select changes, reload the options of `target` (province → regency → district)."""
    return {"hx-get": reverse_lazy(url_name), "hx-target": target, "hx-trigger": "change", "hx-swap": "innerHTML"}


def bound_value(form: forms.BaseForm, name: str) -> Any:
    """A field's value as submitted, or as initially shown: what a dependent select filters on."""
    if form.is_bound:
        return form.data.get(form.add_prefix(name)) or None
    value = form.initial.get(name) or getattr(getattr(form, "instance", None), f"{name}_id", None)
    return getattr(value, "pk", value)
