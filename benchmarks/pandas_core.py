"""The core workforce figures as a competent pandas analyst writes them (categorical columns,
vectorised group-bys, no row loops): the pandas side of bench_compute.py and
bench_metrics_process.py. Imports pandas and numpy only (and the quartiles' tie sharing), so a
process timing pandas pays for no polars import.
"""

from __future__ import annotations

import math

import numpy as np


def pandas_figures(df):  # noqa: ANN001 - a pandas DataFrame
    """The core figures as a competent pandas analyst writes them."""
    import pandas as pd

    from equitable.metrics.quartiles import quartile_sizes, share_tied_block

    out = {}
    cat_cols = [
        "ethnicity",
        "ethnic_group",
        "sex",
        "disability",
        "directorate",
        "pay_band",
        "grade",
        "leadership_tier",
    ]
    df = df.assign(**{c: df[c].astype("category") for c in cat_cols})
    undisclosed = ["Prefer not to say", "Not known"]
    known = pd.DataFrame(
        {
            "ethnicity": df["ethnic_group"] != "Unknown",
            "sex": ~df["sex"].isin(undisclosed),
            "disability": ~df["disability"].isin(undisclosed),
            "sexual_orientation": ~df["sexual_orientation"].isin(undisclosed)
            & df["sexual_orientation"].notna(),
            "religion": ~df["religion"].isin(undisclosed) & df["religion"].notna(),
        }
    )
    out["disclosure"] = known.mean() * 100
    out["disclosure_by_directorate"] = known.groupby(df["directorate"], observed=False).mean() * 100

    minority = ["Asian", "Black", "Mixed", "Other"]

    def representation(counts: pd.DataFrame) -> pd.DataFrame:
        counts = counts.copy()
        counts["Black, Asian and Multi-ethnic"] = counts[minority].sum(axis=1)
        total = counts[["Asian", "Black", "Mixed", "White", "Other", "Unknown"]].sum(axis=1)
        known_total = total - counts["Unknown"]
        return pd.concat(
            {
                "count": counts,
                "percent": counts.div(total, axis=0) * 100,
                "of_known": counts.div(known_total, axis=0) * 100,
            },
            axis=1,
        )

    out["representation_overall"] = representation(df["ethnic_group"].value_counts().to_frame().T)
    for dim in ("directorate", "pay_band", "grade", "leadership_tier"):
        out[f"representation_by_{dim}"] = representation(
            df.groupby([dim, "ethnic_group"], observed=False).size().unstack(fill_value=0)
        )
    out["representation_detailed"] = df["ethnicity"].value_counts(normalize=True) * 100

    paid = df[df["hourly_pay"].notna()].sort_values("hourly_pay", kind="stable")
    n = len(paid)
    k = math.ceil(n / 20)
    boundary = paid["hourly_pay"].iloc[n - k]
    out["top_5_percent"] = representation(
        paid.loc[paid["hourly_pay"] >= boundary, "ethnic_group"].value_counts().to_frame().T
    )

    def gaps(
        frame: pd.DataFrame, key: pd.Series, reference: str, column: str = "hourly_pay"
    ) -> pd.DataFrame:
        stats = frame.groupby(key, observed=True)[column].agg(["mean", "median", "count"])
        ref = stats.loc[reference] if reference in stats.index else None
        if ref is None:
            return stats
        return stats.assign(
            mean_gap=(ref["mean"] - stats["mean"]) / ref["mean"] * 100,
            median_gap=(ref["median"] - stats["median"]) / ref["median"] * 100,
        )

    wres = paid["ethnic_group"].astype(str).where(paid["ethnic_group"] != "Unknown")
    wres_aggregate = wres.where(wres.isna() | (wres == "White"), "Black, Asian and Multi-ethnic")
    ons = np.where(
        paid["white_british"].fillna(False),
        "White British",
        wres.where(wres != "White", "White other"),
    )
    ons = pd.Series(ons, index=paid.index).where(wres.notna())
    ons_all = ons.where(ons.isna() | (ons == "White British"), "All ethnic minorities")
    out["pay_gap_ethnicity"] = pd.concat(
        [
            gaps(paid, wres, "White"),
            gaps(paid, wres_aggregate, "White"),
            gaps(paid, ons, "White British"),
            gaps(paid, ons_all, "White British"),
        ]
    )
    out["pay_gap_sex"] = gaps(paid, paid["sex"], "Male")
    out["pay_gap_disability"] = gaps(paid, paid["disability"], "Not disabled")
    out["pay_gap_ethnicity_by_sex"] = paid.groupby([wres, paid["sex"]], observed=True)[
        "hourly_pay"
    ].agg(["mean", "median", "count"])

    bonus = df[df["bonus_pay"] > 0]
    for name, key, ref in (
        ("ethnicity", "ethnic_group", "White"),
        ("sex", "sex", "Male"),
        ("disability", "disability", "Not disabled"),
    ):
        stats = gaps(bonus, bonus[key], ref, "bonus_pay")
        share = (
            bonus.groupby(key, observed=True).size() / df.groupby(key, observed=True).size() * 100
        )
        out[f"bonus_gap_{name}"] = stats.assign(share=share)

    sizes = quartile_sizes(n)
    quarter = np.repeat(np.arange(4), sizes)
    pays = paid["hourly_pay"].to_numpy()
    for name, key in (("ethnicity", "ethnic_group"), ("sex", "sex"), ("disability", "disability")):
        codes = paid[key].cat.codes.to_numpy()
        labels = list(paid[key].cat.categories)
        table = (
            pd.crosstab(quarter, codes)
            .reindex(columns=range(len(labels)), fill_value=0)
            .to_numpy(copy=True)
        )
        edges = np.cumsum(sizes)[:3]
        for boundary_index in edges:
            if 0 < boundary_index < n and pays[boundary_index - 1] == pays[boundary_index]:
                lo = np.searchsorted(pays, pays[boundary_index], "left")
                hi = np.searchsorted(pays, pays[boundary_index], "right")
                block_quarters = quarter[lo:hi]
                block_codes = codes[lo:hi]
                table -= (
                    pd.crosstab(block_quarters, block_codes)
                    .reindex(index=range(4), columns=range(len(labels)), fill_value=0)
                    .to_numpy()
                )
                places = np.bincount(block_quarters, minlength=4).tolist()
                counts = np.bincount(block_codes, minlength=len(labels)).tolist()
                table += np.array(share_tied_block(counts, places))
        out[f"pay_quartiles_{name}"] = pd.DataFrame(table, columns=labels)
    return out
