"""The quarterly board report (page and PDF) and the measure page's projection, on hand-built
data whose figures are worked out in tests/actions/test_trajectory.py."""

from __future__ import annotations

import importlib.util
import io
from datetime import date
from types import SimpleNamespace

import polars as pl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from equitable.actions import services
from equitable.actions.models import Action, Measure, Target, TargetPoint

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2025Q1", date(2025, 1, 1), date(2025, 3, 31)),
        ("2024q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024Q2", date(2024, 4, 1), date(2024, 6, 30)),
    ],
)
def test_parse_quarter(text, start, end):
    assert services.parse_quarter(text) == (start, end)


@pytest.mark.parametrize("text", ["2025Q5", "Q1 2025", "2025", ""])
def test_parse_quarter_refuses(text):
    with pytest.raises(ValueError, match="2025Q1"):
        services.parse_quarter(text)


def test_previous_and_latest_complete_quarter():
    assert services.previous_quarter("2025Q1") == "2024Q4"
    assert services.latest_complete_quarter(date(2025, 5, 2)) == "2025Q1"


def _leadership_frame(
    in_group: int, others: int, outside_group: int, outside_others: int, prefix=""
):
    """A workforce frame: leadership tier and ethnic group per hashed key."""
    keys, tiers, groups = [], [], []
    for count, tier, group, tag in (
        (in_group, "Leadership Forum", "Black", "g"),
        (others, "Leadership Forum", "White", "o"),
        (outside_group, None, "Asian", "gx"),
        (outside_others, None, "White", "ox"),
    ):
        for n in range(count):
            keys.append(f"{tag}{n}")
            tiers.append(tier)
            groups.append(group)
    return pl.DataFrame({"employee_key": keys, "leadership_tier": tiers, "ethnic_group": groups})


def _frames():
    """The hand-worked example: 20 of 100 leaders in the group; a year later 2 of them and 8
    others have left, 3 appointments went to the group and 7 to others (21 of 100)."""
    before = _leadership_frame(20, 80, 10, 10)
    after_rows = (
        [(f"g{n}", "Leadership Forum", "Black") for n in range(2, 20)]
        + [
            ("gn0", "Leadership Forum", "Black"),
            ("gx0", "Leadership Forum", "Asian"),
            ("gx1", "Leadership Forum", "Asian"),
        ]
        + [(f"o{n}", "Leadership Forum", "White") for n in range(8, 80)]
        + [(f"on{n}", "Leadership Forum", "White") for n in range(5)]
        + [("ox0", "Leadership Forum", "White"), ("ox1", "Leadership Forum", "White")]
        + [(f"gx{n}", None, "Asian") for n in range(2, 10)]
        + [(f"ox{n}", None, "White") for n in range(2, 10)]
    )
    after = pl.DataFrame(
        after_rows, schema=["employee_key", "leadership_tier", "ethnic_group"], orient="row"
    )
    return [(date(2024, 3, 31), before), (date(2025, 3, 31), after)]


@pytest.fixture
def leadership_target(org, corporate, monkeypatch):
    _, action, _ = corporate
    measure = Measure.objects.create(
        objective=action.objective,
        ref="C-M2",
        name="% of the leadership tiers from a Black, Asian and Multi-ethnic background",
        unit="%",
        kind=Measure.Kind.COMPUTED,
        computed_key="leadership_black_asian_multi_ethnic_share",
    )
    target = Target.objects.create(measure=measure)
    TargetPoint.objects.create(target=target, on=date(2026, 3, 31), value=25)
    stub = SimpleNamespace(
        snapshot_frames=lambda organisation: _frames(),
        snapshots_of=lambda organisation: [],
        figures_for=lambda *args, **kwargs: {},
    )
    monkeypatch.setattr(services, "workforce", stub)
    return measure


def test_projection_on_the_measure_page(client_as, leadership_target):
    page = (
        client_as("edi_officer")
        .get(reverse("actions:measure", args=[leadership_target.pk]))
        .content.decode()
    )
    # Rates: 10% leave each year, 10 appointments, 30% to the group; 25% reached after 6 years;
    # 61% of appointments would meet it in the one year to 31 March 2026.
    assert "10% of Black, Asian and Multi-ethnic leaders and 10% of other leaders leaving" in page
    assert "the final target would be met around March 2031" in page
    assert "61% of appointments to the leadership tiers" in page
    assert "<svg" in page and "Values by date" in page


def test_a_projection_resting_on_small_numbers_is_not_shown_to_the_board(
    client_as, leadership_target
):
    """2 of the 20 leaders in the group left and 3 appointments went to the group: the
    projected path is a function of those rates, so a board member gets a sentence instead."""
    page = (
        client_as("board_member")
        .get(reverse("actions:measure", args=[leadership_target.pk]))
        .content.decode()
    )
    assert "leaders leaving" not in page
    assert "The projection is not shown here" in page


def _quarter_actions(corporate, people):
    _, corporate_action, _ = corporate
    _, people_action, _, _ = people
    Action.objects.filter(pk=people_action.pk).update(
        status=Action.Status.DONE, completed_on=date(2025, 2, 14), due=date(2025, 3, 31)
    )
    Action.objects.create(
        objective=corporate_action.objective,
        ref="C-2",
        text="Reverse mentoring for the leadership group",
        due=date(2024, 9, 30),
        status=Action.Status.OFF_TRACK,
    )


def test_board_report_sections(org, corporate, people, leadership_target):
    _quarter_actions(corporate, people)
    report = services.board_report(org, "2025Q1")
    assert [a.ref for a in report["completed"]] == ["P-1"]
    assert [a.ref for a in report["due"]] == ["C-1", "P-1"]  # due 28 February and 31 March
    assert [a.ref for a in report["overdue"]] == ["C-2"]
    assert [a.ref for a in report["attention"]] == ["C-2"]
    assert {s.measure.ref for s in report["targets"]} == {"C-M1", "P-M1", "C-M2"}
    awareness = next(s for s in report["targets"] if s.measure.ref == "C-M1")
    # 42% on 31 December 2024 against a trajectory of 50% then: 8 points behind, red.
    assert (awareness.latest.value, awareness.expected, awareness.rag.value) == (42, 50, "red")
    if importlib.util.find_spec("equitable.incidents.services") is not None:
        assert report["incidents"]["quarter"] == "2025-Q1"  # the incidents app's own spelling


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("edi_officer", True),
        ("board_member", True),
        ("org_admin", False),
        ("hr_analyst", False),
        ("champion", False),
    ],
)
def test_incident_trends_in_the_report_follow_the_trends_page_rules(client_as, persona, shown):
    """/incidents/trends/ refuses the org admin, HR analyst and champion; so does the report's
    incidents section (they get a sentence saying who may read it)."""
    text = client_as(persona).get(reverse("actions:board-report", args=["2025Q1"])).content.decode()
    trends = client_as(persona).get(reverse("incidents:trends"))
    assert (trends.status_code == 200) == shown
    assert ("Reports received this quarter" in text) == shown
    assert ('id="incidents-withheld"' in text) == (not shown)


def test_board_report_page(client_as, corporate, people):
    _quarter_actions(corporate, people)
    page = client_as("board_member").get(reverse("actions:board-report", args=["2025Q1"]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Race equality: board report for 2025Q1" in text
    assert "Completed this quarter (1)" in text
    assert "No submitted self-assessment yet." in text


def test_board_report_unknown_quarter_is_404(client_as):
    # The address converter refuses it, so it cannot even be reversed: type it as a person would.
    assert client_as("edi_officer").get("/actions/board-report/2025Q9/").status_code == 404


def test_board_report_pdf_text(client_as, corporate, people, leadership_target):
    _quarter_actions(corporate, people)
    response = client_as("edi_officer").get(reverse("actions:board-report-pdf", args=["2025Q1"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Our Borough: race equality board report, 2025Q1" in text
    assert "01 January 2025 to 31 March 2025" in text
    assert "Headline figures" in text
    assert "Completed this quarter (1)" in text
    assert "Overdue: due before this quarter and still open (1)" in text
    assert "C-2: Reverse mentoring for the leadership group" in text
    assert "Status at 31 Mar 2025: Red" in text
    # The report is the board's: figures as a board member may read them, whoever downloads
    # it, so the projection resting on 2 leavers and 3 appointments is not in it.
    assert "The projection is not shown here" in text
    assert "61% of appointments" not in text
    assert reader.metadata.title == "Our Borough: race equality board report 2025Q1"


def test_incident_trend_is_pivoted_to_a_row_per_type():
    trend = [
        {"quarter": "2024-Q4", "type": "Racism", "count": 0},
        {"quarter": "2025-Q1", "type": "Racism", "count": None},
        {"quarter": "2024-Q4", "type": "Bullying", "count": 12},
        {"quarter": "2025-Q1", "type": "Bullying", "count": 15},
    ]
    assert services._pivot_trend(trend) == {
        "quarters": ["2024-Q4", "2025-Q1"],
        "rows": [
            {"type": "Racism", "counts": [0, None]},
            {"type": "Bullying", "counts": [12, 15]},
        ],
        "any": True,
    }
    assert (
        services._pivot_trend([{"quarter": "2025-Q1", "type": "Racism", "count": 0}])["any"]
        is False
    )
