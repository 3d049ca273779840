"""Exact and protected families: the one protect call per family, the cache and what clears
it, and the social care workforce setting."""

from __future__ import annotations

import dataclasses

import polars as pl
import pytest

from equitable.core.models import AuditEvent, Directorate
from equitable.core.signals import figures_changed
from equitable.lifecycle import figures, imports, services
from tests.lifecycle.conftest import ETHNICITIES, application_rows, applications_frame

COUNT_COLUMNS = ("group_pool", "group_count", "reference_pool", "reference_count")


def test_no_data_gives_no_tables(org):
    assert services.exact_family(org, "recruitment") == {}
    assert services.published_family(org, "movements") == {}
    assert services.wres_tables(org, published=True) == {}


def test_the_exact_family_has_the_contract_tables(org, applications):
    tables = services.exact_family(org, "recruitment")
    assert {"recruitment_stages", "recruitment_relative_likelihood"} <= set(tables)
    row = (
        tables["recruitment_relative_likelihood"]
        .filter(
            (pl.col("period") == "2024-25")
            & (pl.col("applicant_type") == "All")
            & (pl.col("stage") == "shortlisted to appointed")
            & (pl.col("ethnic_group") == "Black")
        )
        .row(0, named=True)
    )
    # The same counts, by hand from the rows the file was made of.
    first_year = application_rows()[:120]
    black = [
        r for r in first_year if r["ethnicity"] == "African" and r["stage_reached"] != "applied"
    ]
    white = [
        r
        for r in first_year
        if r["ethnicity"] in (ETHNICITIES[0], "Irish") and r["stage_reached"] != "applied"
    ]
    appointed = [sum(r["stage_reached"] == "appointed" for r in rows) for rows in (black, white)]
    assert (row["group_pool"], row["group_count"]) == (len(black), appointed[0])
    assert (row["reference_pool"], row["reference_count"]) == (len(white), appointed[1])
    # WRES indicator 2: White rate over the group's rate.
    expected = (appointed[1] / len(white)) / (appointed[0] / len(black))
    assert row["relative_likelihood"] == pytest.approx(expected)
    assert row["ci_low"] < row["relative_likelihood"] < row["ci_high"]
    assert row["reference_group"] == "White"


def test_published_figures_never_show_a_small_count(org, applications):
    threshold = org.suppression_threshold
    for name, table in services.published_family(org, "recruitment").items():
        assert "suppressed" in table.columns, name
        for column in COUNT_COLUMNS:
            if column in table.columns:
                shown = [v for v in table[column].to_list() if v is not None]
                assert all(v == 0 or v >= threshold for v in shown), (name, column)
    exact = services.exact_family(org, "recruitment")["recruitment_relative_likelihood"]
    assert "suppressed" not in exact.columns


def _counting(monkeypatch, family: str) -> list[int]:
    calls: list[int] = []
    spec = figures.FAMILIES[family]

    def compute(module, inputs):
        calls.append(1)
        return spec.compute_with(module, inputs)

    monkeypatch.setitem(figures.FAMILIES, family, dataclasses.replace(spec, compute_with=compute))
    return calls


def test_figures_are_cached_until_what_they_rest_on_changes(org, applications, monkeypatch):
    calls = _counting(monkeypatch, "recruitment")
    services.exact_family(org, "recruitment")
    services.exact_family(org, "recruitment")
    assert len(calls) == 1
    # The key is read from the database, so every process makes the same one: a change
    # signal with nothing changed computes nothing again.
    figures_changed.send(sender=None, organisation=org)
    services.exact_family(org, "recruitment")
    assert len(calls) == 1
    org.suppression_threshold = 12
    org.save()
    services.exact_family(org, "recruitment")
    assert len(calls) == 2
    frame = imports.validate_file(org, "applications", applications_frame(40)).frame
    services.store_records(org, "applications", frame, user=None, source_filename="new.csv")
    assert services.exact_family(org, "recruitment")["recruitment_stages"].height > 0
    assert len(calls) == 3


def test_social_care_directorates_default_to_their_names_and_can_be_chosen(org, users):
    for name in ("Adult Social Care", "Children's Services"):
        Directorate.objects.create(organisation=org, name=name)
    assert services.social_care_directorates(org) == ["Adult Social Care", "Children's Services"]
    assert services.social_care_is_default(org)
    services.set_social_care_directorates(org, ["People"], user=users["edi_officer"])
    assert services.social_care_directorates(org) == ["People"]
    assert not services.social_care_is_default(org)
    event = AuditEvent.objects.get(object_type="lifecycle_settings")
    assert event.detail == "social care directorates: People"
    services.set_social_care_directorates(org, None, user=users["edi_officer"])
    assert services.social_care_is_default(org)


def test_an_unknown_family_is_an_error(org):
    with pytest.raises(ValueError, match="not a lifecycle family"):
        services.exact_family(org, "surveys")
