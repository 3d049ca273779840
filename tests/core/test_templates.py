"""What a council sees is what it gets: DEBUG is off unless a developer asks, an undefined name
in our templates fails loudly in development and tests (and renders blank, logged, in
production), and an empty field renders empty."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest
from django import forms
from django.template import engines
from jinja2 import UndefinedError

from equitable import jinja2env
from equitable.core.forms_govuk import field_params


def _settings_in_a_fresh_process(tmp_path, **env) -> dict:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("EQUITABLE_", "DJANGO_"))},
        "EQUITABLE_DATA_DIR": str(tmp_path),
        **env,
    }
    environment.pop("DATABASE_URL", None)
    code = (
        "import json; from equitable import settings as s; "
        "print(json.dumps([s.DEBUG, s.TEMPLATES[0]['OPTIONS']['undefined']]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    debug, undefined = json.loads(result.stdout)
    return {"debug": debug, "undefined": undefined}


def test_debug_is_off_unless_a_developer_asks(tmp_path):
    assert _settings_in_a_fresh_process(tmp_path) == {
        "debug": False,
        "undefined": "equitable.jinja2env.StrictUndefined",
    }
    assert _settings_in_a_fresh_process(tmp_path, EQUITABLE_DEBUG="true")["debug"] is True
    production = _settings_in_a_fresh_process(
        tmp_path,
        EQUITABLE_ENV="production",
        EQUITABLE_SECRET_KEY="x" * 50,
        EQUITABLE_TRUSTED_PROXY="127.0.0.1",
    )
    assert production == {"debug": False, "undefined": "equitable.jinja2env.LoggedUndefined"}


def test_demo_and_serve_turn_debug_on_only_with_the_debug_flag(monkeypatch):
    from equitable.cli import build_parser
    from equitable.core.commands import _developer_mode

    monkeypatch.delenv("EQUITABLE_DEBUG", raising=False)
    _developer_mode(build_parser().parse_args(["demo", "--setup-only"]))
    assert "EQUITABLE_DEBUG" not in os.environ
    _developer_mode(build_parser().parse_args(["serve", "--debug"]))
    assert os.environ["EQUITABLE_DEBUG"] == "true"


@pytest.fixture
def env():
    return engines["jinja2"].env


def test_the_test_settings_render_with_strict_undefined(env):
    assert env.undefined is jinja2env.StrictUndefined


@pytest.mark.parametrize(
    "source",
    [
        "{{ no_such_name }}",
        "{% if no_such_name %}x{% endif %}",
        "{% for x in no_such_name %}{% endfor %}",
        "{{ row['no_such_key'] }}",
        "{{ row.no_such_key }}",
    ],
)
def test_an_undefined_name_in_our_templates_fails_loudly(env, source):
    with pytest.raises(UndefinedError):
        env.from_string(source).render(row={"key": 1})


def test_is_defined_still_works(env):
    assert env.from_string("{{ x is defined }} {{ y is defined }}").render(y=1) == "False True"


def test_the_govuk_macros_optional_parameters_stay_optional(env):
    """govuk-frontend-jinja's macros test optional parameters (`params.hint`): those are
    Jinja's ordinary undefined, and render as the Design System says."""
    html = env.from_string(
        '{% from "govuk_frontend_jinja/components/textarea/macro.html" import govukTextarea %}'
        '{{ govukTextarea({"name": "note", "id": "note", "label": {"text": "Note"}}) }}'
    ).render()
    assert '<textarea class="govuk-textarea" id="note" name="note" rows="5"></textarea>' in html


def test_our_undefined_passed_into_a_govuk_macro_still_fails(env):
    with pytest.raises(UndefinedError):
        env.from_string(
            '{% from "govuk_frontend_jinja/components/inset-text/macro.html" import govukInsetText %}'
            '{{ govukInsetText({"text": no_such_name}) }}'
        ).render()


def test_production_renders_an_undefined_blank_and_logs_it(caplog):
    production = jinja2env.environment(undefined="equitable.jinja2env.LoggedUndefined")
    with caplog.at_level(logging.WARNING, logger="equitable.jinja2env"):
        assert production.from_string("[{{ no_such_name }}]").render() == "[]"
    assert "'no_such_name' is undefined" in caplog.text


class NoteForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea, required=False)
    name = forms.CharField(required=False)


@pytest.mark.parametrize("bound", [False, True])
def test_an_empty_text_field_is_given_an_empty_value(bound):
    form = NoteForm({} if bound else None)
    assert field_params(form["note"])["value"] == ""
    assert field_params(form["name"])["value"] == ""


def test_an_empty_textarea_renders_empty(env):
    html = env.from_string(
        '{% from "components/form.html" import govuk_field %}{{ govuk_field(form["note"]) }}'
    ).render(form=NoteForm(), field_params=field_params)
    assert 'name="note" rows="5"></textarea>' in html
