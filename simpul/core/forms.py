"""Form helpers shared by every app."""

from __future__ import annotations

from collections.abc import Mapping

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


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
