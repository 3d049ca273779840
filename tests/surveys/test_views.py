"""Survey pages: protected figures for every role, filters that only pick published rows,
comments only above the minimum group, inert downloads, and the import flow."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from equitable.surveys import imports
from equitable.surveys.models import Survey, SurveyUpload


@pytest.fixture
def race_2022(surveyed):
    return Survey.objects.get(organisation=surveyed, title="Race Survey 2022")


def test_the_survey_and_question_pages_show_protected_figures_to_the_board(client_as, race_2022):
    client = client_as("board_member")
    page = client.get(reverse("surveys:survey", args=[race_2022.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "protected for everyone, the EDI officer included" in html
    assert "<svg" in html and 'id="questions"' in html
    question = race_2022.questions.filter(kind="scaled").first()
    page = client.get(reverse("surveys:question", args=[race_2022.pk, question.code]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Compared with White staff" in html
    assert "Change since Staff Survey on Race 2020" in html


def test_a_filter_reads_a_cross_tab_and_an_impossible_combination_is_not_found(
    client_as, race_2022
):
    client = client_as("edi_officer")
    question = race_2022.questions.filter(kind="scaled").first()
    url = reverse("surveys:question", args=[race_2022.pk, question.code])
    assert (
        client.get(url, {"breakdown": "ethnic_group", "directorate": "People"}).status_code == 200
    )
    assert client.get(url, {"breakdown": "religion", "directorate": "People"}).status_code == 404
    assert client.get(url, {"breakdown": "shoe_size"}).status_code == 404


def test_withheld_groups_say_why_on_the_page(client_as, race_2022):
    question = race_2022.questions.filter(kind="scaled").first()
    page = client_as("edi_officer").get(
        reverse("surveys:question", args=[race_2022.pk, question.code]),
        {"breakdown": "ethnic_group", "directorate": "Resources"},
    )
    assert "fewer than 10 respondents" in page.content.decode()


def test_comments_are_shown_above_the_minimum_and_exported_only_by_the_edi_officer(
    client_as, race_2022
):
    code = race_2022.questions.get(kind="free_text").code
    url = reverse("surveys:comments", args=[race_2022.pk, code])
    page = client_as("board_member").get(url)
    assert page.status_code == 200 and 'id="comments"' in page.content.decode()
    assert client_as("board_member").get(url, {"format": "csv"}).status_code == 404
    export = client_as("edi_officer").get(url, {"format": "csv"})
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")


def test_downloads_are_protected_tables_and_inert(client_as, race_2022):
    client = client_as("champion")
    data = json.loads(client.get(reverse("surveys:download", args=[race_2022.pk, "json"])).content)
    assert {"questions", "results_by_ethnic_group", "comparison_with_white"} <= set(data["tables"])
    assert all("favourable" not in row for row in data["tables"]["results_by_ethnic_group"])
    csv = client.get(reverse("surveys:download", args=[race_2022.pk, "csv"])).content.decode(
        "utf-8-sig"
    )
    assert "percent_favourable" in csv
    assert client.get(reverse("surveys:download", args=[race_2022.pk, "xlsx"])).status_code == 200


def test_other_organisations_and_the_coordinator_see_nothing(client_as, race_2022):
    assert (
        client_as("other:edi_officer")
        .get(reverse("surveys:survey", args=[race_2022.pk]))
        .status_code
        == 404
    )
    assert client_as("coordinator").get(reverse("surveys:index")).status_code == 403


EXPORT = (
    "\ufeffRespondent ID,Collector ID,Start Date,End Date,IP Address,Email Address,First Name,"
    "Last Name,Custom Data 1,What is your ethnic group?,I feel safe to speak up\r\n"
    ",,,,,,,,,Response,Response\r\n"
    + "".join(
        f"{n},1,,,10.0.0.{n},,,,,{e},{a}\r\n"
        for n, (e, a) in enumerate([("Indian", "Agree"), ("White British", "Disagree")] * 10)
    )
).encode()


def test_upload_map_and_import_stores_the_wave_and_remembers_the_mapping(client_as, org):
    client = client_as("hr_analyst")
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("surveys:import"),
        {
            "title": "Pulse",
            "kind": "pulse",
            "fieldwork_month": "2025-03",
            "previous": "",
            "export": SimpleUploadedFile("export.csv", EXPORT, content_type="text/csv"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    upload = SurveyUpload.objects.get(organisation=org)
    page = client.get(response["Location"])
    assert page.status_code == 200 and "10.0.0" not in page.content.decode()
    post = {}
    for index, column in enumerate(["ethnicity", "scaled"]):
        post[f"c{index}-role"] = "demographic" if column == "ethnicity" else "scaled"
        post[f"c{index}-characteristic"] = "ethnicity" if column == "ethnicity" else ""
        post[f"c{index}-scale"] = "" if column == "ethnicity" else "agreement5"
    done = client.post(response["Location"], post)
    assert done.status_code == 302
    survey = Survey.objects.get(organisation=org, title="Pulse")
    assert survey.respondent_count == 20 and survey.fieldwork_month == date(2025, 3, 1)
    upload.refresh_from_db()
    assert upload.status == SurveyUpload.Status.IMPORTED and upload.ciphertext is None
    # The next wave maps in one step from the remembered mapping.
    again = imports.import_export(
        org,
        EXPORT,
        "next.csv",
        title="Pulse 2",
        kind="pulse",
        fieldwork_month=date(2025, 9, 1),
        user=None,
    )
    assert again.questions.filter(kind="scaled").count() == 1


def test_a_bad_answer_stops_the_import_and_lists_row_and_column(client_as, org):
    bad = EXPORT.replace(b"Disagree\r\n", b"Sometimes maybe\r\n", 1)
    upload = imports.start_upload(
        org,
        bad,
        "x.csv",
        details={"title": "Bad", "kind": "pulse", "fieldwork_month": "2025-03-01"},
        user=None,
    )
    client = client_as("edi_officer")
    post = {
        "c0-role": "demographic",
        "c0-characteristic": "ethnicity",
        "c0-scale": "",
        "c1-role": "scaled",
        "c1-characteristic": "",
        "c1-scale": "agreement5",
    }
    page = client.post(reverse("surveys:import-mapping", args=[upload.pk]), post)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Nothing was imported" in html and "Row 4" in html and "Sometimes maybe" in html
    assert not Survey.objects.filter(organisation=org, title="Bad").exists()


def test_the_threshold_cannot_go_below_five(client_as):
    page = client_as("edi_officer").post(reverse("surveys:settings"), {"threshold": "3"})
    assert page.status_code == 200 and "greater than or equal to 5" in page.content.decode()


def test_the_trends_page_charts_a_question_across_the_waves_beside_its_table(client_as, surveyed):
    from equitable.surveys.models import QuestionBankItem

    item = QuestionBankItem.objects.get(
        organisation=surveyed, text="I would feel confident reporting racism"
    )
    page = client_as("board_member").get(reverse("surveys:trends", args=[item.code]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'id="trend"' in html
    assert html.count("Pulse survey summer") >= 2  # every wave asking it has a row
    assert (
        client_as("board_member").get(reverse("surveys:trends", args=["nope"])).status_code == 404
    )
