"""The page checks catch what they are for (so that a clean walk of the demo means something)."""

from __future__ import annotations

from tests.pages import html_checks

DEBUG_UNDEFINED_TEXTAREA = (
    '<form method="post" action="/report/"><input type="hidden" name="csrf" value="t">'
    "<textarea name=\"what_happened\">{{ no such element: dict object['value'] }}</textarea>"
    '<input type="text" name="where" value="">'
    '<button type="submit">Send</button></form>'
)


def test_template_source_in_a_page_is_caught():
    problems = html_checks.markup_problems("<p>{{ no such element: dict object['value'] }}</p>")
    assert "template marker '{{'" in problems and "template marker 'no such element'" in problems
    assert html_checks.markup_problems("<p>{% if x %}</p>")


def test_escaped_markup_is_caught_but_escaped_text_is_not():
    shown_as_text = "<div>&lt;p class='govuk-body'&gt;From your workforce data</div>"
    assert html_checks.markup_problems(shown_as_text) == ["escaped markup '&lt;p'"]
    assert html_checks.markup_problems("<code>Authorization: Bearer &lt;token&gt;</code>") == []


def test_a_python_value_printed_as_text_is_caught():
    assert html_checks.markup_problems("<td>None</td>") == ["a Python value shown as text 'None'"]
    assert html_checks.markup_problems("<td>None given</td>") == []


def test_scripts_may_hold_braces():
    assert html_checks.markup_problems("<script>const a = {b: {c: 1}};</script>") == []


def test_a_pre_filled_free_text_field_is_caught():
    (form,) = html_checks.parse(DEBUG_UNDEFINED_TEXTAREA).forms
    assert [f.name for f in form.user_fields()] == ["what_happened", "where"]
    assert form.hidden_values() == {"csrf": "t"}
    assert html_checks.default_problems(form) == [
        "field 'what_happened' pre-filled with \"{{ no such element: dict object['value'] }}\""
    ]


def test_a_field_holding_text_after_an_empty_submission_is_caught():
    form = html_checks.parse('<form method="post"><textarea name="n">x</textarea></form>').forms[0]
    assert html_checks.empty_after_empty_post(form) == [
        "field 'n' holds 'x' after an empty submission"
    ]


def test_links_and_forms_are_found():
    page = html_checks.parse(
        '<a href="/a/">A</a><link rel="stylesheet" href="/s.css">'
        '<form method="get" action="/f/"><select name="s"><option>1</option></select></form>'
    )
    assert page.links == ["/a/", "/s.css"]
    assert page.forms[0].method == "get" and page.forms[0].fields[0].tag == "select"
