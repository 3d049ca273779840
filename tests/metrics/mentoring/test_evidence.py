"""The 2c.1 mentoring counts, exact and protected."""

from __future__ import annotations

from equitable.metrics.mentoring.evidence import evidence_tables, protected_evidence


def test_tables_list_every_role_and_status_of_each_kind_run_with_zeros():
    tables = evidence_tables({("mentoring", "mentee"): 60, ("mentoring", "mentor"): 40}, {})
    assert tables["mentoring_people"].rows() == [
        ("mentoring", "mentee", 60),
        ("mentoring", "mentor", 40),
    ]
    assert tables["mentoring_pairs"]["count"].to_list() == [0, 0, 0]


def test_small_counts_are_withheld_and_large_ones_shown():
    tables = evidence_tables(
        {("mentoring", "mentee"): 60, ("mentoring", "mentor"): 40},
        {("mentoring", "proposed"): 50, ("mentoring", "confirmed"): 3, ("mentoring", "ended"): 12},
    )
    protected = protected_evidence(tables, threshold=10, round_to=None)
    assert protected["mentoring_people"]["count"].to_list() == [60, 40]
    pairs = dict(
        zip(
            protected["mentoring_pairs"]["status"],
            protected["mentoring_pairs"]["count"],
            strict=True,
        )
    )
    assert pairs["confirmed"] is None and pairs["proposed"] == 50
