"""A quarter in the address must be one the service can report on: anything else is a 404
(before the view runs), and the quarter form says what is wrong."""

import pytest
from django.urls import NoReverseMatch, reverse

from equitable.actions.services import parse_quarter


@pytest.mark.parametrize("quarter", ["0001Q1", "0000Q1", "1899Q4", "2101Q1", "9999Q4"])
def test_a_year_out_of_range_is_not_found(client_as, quarter):
    client = client_as("edi_officer")
    assert client.get(f"/actions/board-report/{quarter}/").status_code == 404
    assert client.get(f"/actions/board-report/{quarter}/pdf/").status_code == 404


def test_a_year_out_of_range_is_refused_by_the_form_and_the_library(client_as):
    response = client_as("edi_officer").get(
        reverse("actions:board-report-choose"), {"quarter": "0001Q1"}
    )
    assert response.status_code == 200
    assert "Enter a year from 1900 to 2100" in response.content.decode()
    with pytest.raises(ValueError, match="1900 to 2100"):
        parse_quarter("0001Q1")
    with pytest.raises(NoReverseMatch):
        reverse("actions:board-report", args=["0001Q1"])


def test_the_first_quarter_that_can_be_reported_on_works(client_as):
    assert client_as("edi_officer").get("/actions/board-report/1900Q1/").status_code == 200
