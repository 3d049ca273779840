"""The Jinja2 environment for every page.

It loads our templates (each app's `jinja2/` folder) and the govuk-frontend-jinja macros
(imported as "govuk_frontend_jinja/components/<name>/macro.html"), and gives templates a few
globals: `url`, `static`, `nav_items`, `messages_for`, `field_params` (Django form fields
mapped onto the GOV.UK macros' parameters, see core/forms_govuk.py).
"""

from __future__ import annotations

import logging
import sys
from datetime import date
from pathlib import Path
from types import FrameType

import govuk_frontend_jinja
import jinja2
import jinja2.runtime
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader

from equitable.core.forms_govuk import error_summary_items, field_params
from equitable.core.navigation import help_url, nav_items
from equitable.core.numbers import round_half_up

log = logging.getLogger(__name__)

# govuk-frontend-jinja's macros are ports of Nunjucks macros whose parameters are optional by
# design (`{% if params.hint %}`): an undefined created *inside* them is Jinja's ordinary
# blank-and-false Undefined. Everywhere else (our own templates) the rules below apply.
_VENDOR_TEMPLATES = str(Path(govuk_frontend_jinja.__file__).resolve().parent / "templates")
_JINJA_RUNTIME = jinja2.runtime.__file__


def _created_in_vendor_template() -> bool:
    """Whether the template code that produced this undefined is one of the vendor macros.

    Compiled templates run as Python frames whose file name is the template's; the nearest
    such frame (skipping Jinja's and our own Python code) is where the lookup was written.
    """
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        filename = frame.f_code.co_filename
        if not filename.endswith(".py"):
            return filename.startswith(_VENDOR_TEMPLATES)
        macro = frame.f_locals.get("self") if filename == _JINJA_RUNTIME else None
        if isinstance(macro, jinja2.runtime.Macro):
            # A macro's missing argument or `caller`: it belongs to the macro's template.
            return macro._func.__code__.co_filename.startswith(_VENDOR_TEMPLATES)
        frame = frame.f_back
    return False


class _OursOrVendor(jinja2.Undefined):
    __slots__ = ("_vendor",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._vendor = _created_in_vendor_template()

    def _used(self) -> None:
        """Called when an undefined of our own templates is printed, tested or iterated."""

    def __str__(self) -> str:
        if not self._vendor:
            self._used()
        return super().__str__()

    def __bool__(self) -> bool:
        if not self._vendor:
            self._used()
        return super().__bool__()

    def __iter__(self):
        if not self._vendor:
            self._used()
        return super().__iter__()

    def __len__(self) -> int:
        if not self._vendor:
            self._used()
        return super().__len__()

    def __eq__(self, other) -> bool:
        if not self._vendor:
            self._used()
        return super().__eq__(other)

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    def __contains__(self, item) -> bool:
        if not self._vendor:
            self._used()
        return False

    __hash__ = jinja2.Undefined.__hash__


class StrictUndefined(_OursOrVendor):
    """Development and tests: an undefined name or key in our templates raises UndefinedError
    wherever it is used (printed, tested, iterated, compared), so the page fails loudly instead
    of showing `{{ no such element … }}` (DebugUndefined) or a silent blank."""

    __slots__ = ()

    def _used(self) -> None:
        self._fail_with_undefined_error()


class LoggedUndefined(_OursOrVendor):
    """Production: an undefined renders blank and is false, as Jinja's default does, so a
    person never sees template source; each use is logged so that the bug is found."""

    __slots__ = ()

    def _used(self) -> None:
        log.warning("template used an undefined value: %s", self._undefined_message)


def url(name: str, *args, **kwargs) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def messages_for(request):
    return list(get_messages(request))


NO_VALUE = "–"


def _rounded(value, places: int):
    """Rounded half away from zero as people do (90.05 → 90.1), never "-0.0"."""
    return round_half_up(value, places) if isinstance(value, float) else value


def format_number(value, places: int = 0) -> str:
    """1234.5 → "1,235"; with places=1 → "1,234.5". No value is a dash."""
    if value is None or value != value:  # None or NaN
        return NO_VALUE
    return f"{_rounded(value, places):,.{places}f}"


def format_money(value, places: int = 2) -> str:
    """18.8 → "£18.80"; -1.5 → "-£1.50"; 2342.4 → "£2,342.40"."""
    if value is None or value != value:
        return NO_VALUE
    value = _rounded(value, places)
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value):,.{places}f}"


def format_percent(value, places: int = 1) -> str:
    """25.53 → "25.5%" (the value is already a percentage, 0 to 100)."""
    if value is None or value != value:
        return NO_VALUE
    return f"{_rounded(value, places):,.{places}f}%"


def format_label(key) -> str:
    """A code as words: "sexual_orientation" → "Sexual orientation"."""
    return str(key).replace("_", " ").strip().capitalize()


def format_date(value) -> str:
    """A date (or ISO 8601 text) as people write it: "31 March 2025"."""
    if value is None:
        return NO_VALUE
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.strftime("%-d %B %Y")


def format_datetime(value) -> str:
    """A moment in the service's time zone (Europe/London), as people write it:
    "2 December 2026, 10:13". Stored times are UTC; strftime on them would be an hour out in
    summer."""
    if value is None:
        return NO_VALUE
    return timezone.localtime(value).strftime("%-d %B %Y, %H:%M")


def format_figure(value, kind: str = "auto") -> str:
    """A table cell by its column's kind (equitable/workforce/catalogue.py lists the kinds):
    count "1,234", percent "25.5%", points "-15.7", ratio "0.64", money "£18.80", date
    "31 March 2025"."""
    if kind == "date":
        return format_date(value)
    if value is None or isinstance(value, str) or kind == "text":
        return NO_VALUE if value is None else str(value)
    if kind == "count":
        return format_number(value)
    if kind == "percent":
        return format_percent(value)
    if kind == "money":
        return format_money(value)
    if kind == "ratio":
        return format_number(value, 2)
    if kind in {"points", "number"}:
        return format_number(value, 1)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return format_number(value, 0 if isinstance(value, int) else 1)


def format_signed(value: float | None, decimals: int = 1) -> str:
    """A change or difference with its sign: "+0.8", "-8.7", and "0.0" for anything that rounds
    to nothing (never "-0.0")."""
    if value is None:
        return NO_VALUE
    rounded = round(float(value), decimals)
    if rounded == 0:
        return f"{0:.{decimals}f}"
    return f"{rounded:+.{decimals}f}"


def environment(**options) -> Environment:
    """The environment Django's Jinja2 backend builds; `undefined` (a class or its dotted path)
    is given explicitly by settings, never left to the backend's DEBUG-dependent default."""
    app_loader = options.pop("loader", None)
    undefined = options.pop("undefined", StrictUndefined)
    if isinstance(undefined, str):
        undefined = import_string(undefined)
    env = Environment(
        **options,
        undefined=undefined,
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
        help_url=help_url,
        messages_for=messages_for,
        field_params=field_params,
        error_summary_items=error_summary_items,
    )
    env.filters.update(
        number=format_number,
        money=format_money,
        percent=format_percent,
        label=format_label,
        figure=format_figure,
        signed=format_signed,
        date=format_date,
        datetime=format_datetime,
    )
    return env
