"""Map Django form fields onto the parameters of the GOV.UK Frontend macros.

Templates call `{{ govuk_field(form["name"]) }}` (a macro in core/jinja2/components/form.html)
which asks `field_params` for the macro's parameters, so labels, hints, error messages and
previous values re-display the way the Design System expects.
"""

from __future__ import annotations

from typing import Any

from django import forms


def choice_field(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    """A form's choice field, typed, so its choices can be set in `__init__`."""
    field = form.fields[name]
    if not isinstance(field, forms.ChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a choice field")
    return field


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """A form's model choice field, typed, so its queryset can be set in `__init__`."""
    field = form.fields[name]
    if not isinstance(field, forms.ModelChoiceField):
        raise TypeError(f"{name} is a {type(field).__name__}, not a model choice field")
    return field


def _choices(bound_field: forms.BoundField) -> Any:
    field = bound_field.field
    return field.choices if isinstance(field, forms.ChoiceField) else ()


def widget_kind(bound_field: forms.BoundField) -> str:
    widget = bound_field.field.widget
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.ClearableFileInput | forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


def _selected(bound_field: forms.BoundField) -> set[str]:
    value = bound_field.value()
    if value is None:
        return set()
    if isinstance(value, list | tuple):
        return {str(v) for v in value}
    return {str(value)}


def field_params(bound_field: forms.BoundField, **overrides: Any) -> dict[str, Any]:
    kind = widget_kind(bound_field)
    errors = bound_field.errors
    params: dict[str, Any] = {
        "kind": kind,
        "id": bound_field.id_for_label or bound_field.html_name,
        "name": bound_field.html_name,
        "label": {"text": bound_field.label, "classes": "govuk-label--s"},
        "hint": {"text": str(bound_field.help_text)} if bound_field.help_text else None,
        "errorMessage": {"text": " ".join(str(e) for e in errors)} if errors else None,
    }
    if kind in {"radios", "checkboxes"}:
        selected = _selected(bound_field)
        params["fieldset"] = {
            "legend": {"text": bound_field.label, "classes": "govuk-fieldset__legend--s"}
        }
        params["idPrefix"] = bound_field.html_name
        params["items"] = [
            {"value": str(value), "text": str(text), "checked": str(value) in selected}
            for value, text in _choices(bound_field)
            if str(value) != ""
        ]
    elif kind == "select":
        selected = _selected(bound_field)
        params["items"] = [
            {"value": str(value), "text": str(text), "selected": str(value) in selected}
            for value, text in _choices(bound_field)
        ]
    elif kind == "checkbox":
        params["items"] = [
            {"value": "on", "text": bound_field.label, "checked": bool(bound_field.value())}
        ]
        params["idPrefix"] = bound_field.html_name
    elif kind != "file":
        # Always given, empty when there is nothing to show: the macros print `params.value`
        # as the field's content, and an absent key must never reach the page as text.
        value = bound_field.value()
        params["value"] = "" if kind == "password" or value is None else str(value)
    widget = bound_field.field.widget
    input_type = getattr(widget, "input_type", None)
    if kind == "input" and input_type in {"email", "number", "date", "url"}:
        params["type"] = input_type
    if bound_field.field.required:
        params["attributes"] = {"required": True}
    params.update(overrides)
    return params


def error_summary_items(form: forms.Form) -> list[dict[str, str]]:
    """One link per error, pointing at the field, for the GOV.UK error summary."""
    items = []
    for name, errors in form.errors.items():
        for error in errors:
            if name == "__all__":
                items.append({"text": str(error)})
            else:
                bound = form[name]
                items.append({"text": str(error), "href": f"#{bound.id_for_label or name}"})
    return items
