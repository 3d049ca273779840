"""The field inventory behind docs/data-protection.md names every field Equitable holds."""

import csv
import io

from django.apps import apps
from django.urls import reverse

from equitable.core import data_inventory


def _our_models():
    return [m for m in apps.get_models() if m.__module__.startswith("equitable.")]


def test_every_model_of_ours_is_in_the_inventory():
    held = {h.model for h in data_inventory.HOLDINGS}
    missing = sorted(m._meta.label for m in _our_models() if m._meta.label not in held)
    assert not missing, (
        "add these models to equitable/core/data_inventory.py (what they hold, why, who sees "
        f"them, how long they are kept), then run it with --write: {missing}"
    )


def test_every_field_is_named_once_and_no_named_field_has_gone():
    problems = []
    models = {m._meta.label: m for m in _our_models()}
    for holding in data_inventory.HOLDINGS:
        model = models.get(holding.model)
        if model is None:
            problems.append(f"{holding.model}: no such model any more")
            continue
        # Links to other records (many-to-many) are held too, in their own tables.
        fields = {f.name for f in (*model._meta.concrete_fields, *model._meta.many_to_many)}
        named = list(holding.fields)
        problems += [f"{holding.model}.{n}: named twice" for n in set(named) if named.count(n) > 1]
        problems += [f"{holding.model}.{n}: not documented" for n in sorted(fields - set(named))]
        problems += [f"{holding.model}.{n}: no such field" for n in sorted(set(named) - fields)]
    assert not problems, problems


def test_the_page_shows_the_inventory_as_generated():
    text = data_inventory.DOC.read_text(encoding="utf-8")
    assert data_inventory.current_section(text) == data_inventory.render_markdown(), (
        "docs/data-protection.md is out of date: .venv/bin/python -m "
        "equitable.core.data_inventory --write"
    )


def test_special_category_columns_of_stored_files_are_flagged():
    snapshot = {c.name: c for c in data_inventory.snapshot_columns()}
    assert snapshot["employee_key"].special_category is False
    assert "employee_id" not in snapshot and "date_of_birth" not in snapshot
    for name in ("ethnicity", "ethnic_group", "disability", "religion", "sexual_orientation"):
        assert snapshot[name].special_category, name
    cases = data_inventory.record_columns()["casework cases"]
    assert any(c.name == "employee_key" for c in cases)


def test_the_admin_downloads_the_record_of_processing(client_as, users, org):
    response = client_as("org_admin").get(reverse("core:processing-record-csv"))
    assert response.status_code == 200
    assert "record-of-processing" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["controller", *data_inventory.RECORD_HEADERS]
    by_model = {row[1]: row for row in rows[1:]}
    assert set(by_model) == {h.model for h in data_inventory.HOLDINGS}
    assert by_model["incidents.Report"][0] == org.name
    assert "paragraph 8" in by_model["workforce.SnapshotFrame"][4]


def test_only_the_admin_downloads_it(client_as, users):
    for persona in ("edi_officer", "hr_analyst", "champion", "board_member", "coordinator"):
        response = client_as(persona).get(reverse("core:processing-record-csv"))
        assert response.status_code == 403
