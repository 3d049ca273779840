"""The synthetic extract: shaped like seed 000, deterministic, and valid."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from equitable.metrics import extract, synthetic
from equitable.metrics.schema import CANONICAL_COLUMNS


@pytest.fixture(scope="module")
def workforce() -> pl.DataFrame:
    return synthetic.generate_workforce(20_000, seed=7)


def test_it_is_the_same_for_the_same_seed_and_differs_otherwise():
    first = synthetic.generate_workforce(500, seed=3)
    assert first.equals(synthetic.generate_workforce(500, seed=3))
    assert not first.equals(synthetic.generate_workforce(500, seed=4))


def test_columns_are_canonical(workforce):
    assert set(workforce.columns) <= set(CANONICAL_COLUMNS)
    assert workforce.height == 20_000
    assert workforce["employee_id"].n_unique() == 20_000


def test_band_sizes_follow_seed_000(workforce):
    shares = workforce["pay_band"].value_counts(normalize=True).sort("pay_band")
    expected = synthetic.BAND_SIZES / synthetic.BAND_SIZES.sum()
    for (band, share), want in zip(shares.iter_rows(), expected, strict=True):
        assert share == pytest.approx(want, abs=0.015), band
    assert shares["pay_band"].to_list() == ["1", "2", "3", "4", "5", "6"]


def test_ethnic_groups_by_band_follow_seed_000(workforce):
    result = extract.validate_extract(workforce, snapshot_date=date(2024, 3, 31), id_key=b"k")
    assert result.ok, result.problems[:5]
    frame = result.frame
    band2 = frame.filter(pl.col("pay_band") == "2")
    asian = (band2["ethnic_group"] == "Asian").mean()
    assert asian == pytest.approx(0.2813, abs=0.03)  # seed 000: 28.1% of band 2 are Asian
    band6 = frame.filter(pl.col("pay_band") == "6")
    assert (band6["ethnic_group"] == "Asian").sum() == 0  # seed 000: none in band 6
    white_overall = (frame["ethnic_group"] == "White").mean()
    assert white_overall == pytest.approx(0.43, abs=0.03)  # seed 000: "around 43% ... white"


def test_disability_sex_and_leadership(workforce):
    disabled = (workforce["disability"] == "Disabled").mean()
    assert 0.035 < disabled < 0.055
    tiers = set(workforce["leadership_tier"].drop_nulls().unique().to_list())
    assert tiers == {"Corporate Strategic Board", "Corporate Leadership Group", "Leadership Forum"}
    board_bands = workforce.filter(pl.col("leadership_tier") == "Corporate Strategic Board")
    assert set(board_bands["pay_band"].unique().to_list()) == {"6"}
    assert set(workforce["directorate"].unique().to_list()) == set(synthetic.DIRECTORATES)


def test_pay_rises_with_band(workforce):
    medians = workforce.group_by("pay_band").agg(pl.col("hourly_pay").median()).sort("pay_band")
    values = medians["hourly_pay"].to_list()
    assert values == sorted(values)
    assert 0.03 < workforce["bonus_pay"].is_not_null().mean() < 0.15


def test_variant_spellings_still_validate():
    frame = synthetic.generate_workforce(2_000, seed=1, variant_share=0.5)
    assert frame["ethnicity"].str.contains(" - ").any()
    result = extract.validate_extract(frame, snapshot_date=date(2024, 3, 31), id_key=b"k")
    assert result.ok, result.problems[:5]


def test_csv_and_xlsx_round_trip(tmp_path):
    frame = synthetic.generate_workforce(50, seed=2)
    for path in (tmp_path / "w.csv", tmp_path / "w.xlsx"):
        if path.suffix == ".csv":
            synthetic.write_workforce_csv(frame, path)
        else:
            synthetic.write_workforce_xlsx(frame, path)
        result = extract.load_extract(path, snapshot_date=date(2024, 3, 31), id_key=b"k")
        assert result.ok, (path, result.problems[:5])
        assert result.row_count == 50


def test_negative_size_is_refused():
    with pytest.raises(ValueError):
        synthetic.generate_workforce(-1, seed=1)
