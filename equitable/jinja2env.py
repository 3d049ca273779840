"""The Jinja2 environment for every page.

It loads our templates (each app's `jinja2/` folder) and the govuk-frontend-jinja macros
(imported as "govuk_frontend_jinja/components/<name>/macro.html"), and gives templates a few
globals: `url`, `static`, `nav_items`, `messages_for`, `field_params` (Django form fields
mapped onto the GOV.UK macros' parameters, see core/forms_govuk.py).
"""

from __future__ import annotations

from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from equitable.core.forms_govuk import error_summary_items, field_params
from equitable.core.navigation import nav_items


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def messages_for(request):
    return list(get_messages(request))


def format_number(value, places: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value:,.{places}f}"


def environment(**options) -> Environment:
    app_loader = options.pop("loader", None)
    env = Environment(
        **options,
        loader=ChoiceLoader(
            [
                loader
                for loader in [
                    app_loader,
                    PrefixLoader(
                        {"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja", "templates")}
                    ),
                ]
                if loader is not None
            ]
        ),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        url=url,
        static=static,
        nav_items=nav_items,
        messages_for=messages_for,
        field_params=field_params,
        error_summary_items=error_summary_items,
    )
    env.filters["number"] = format_number
    return env
