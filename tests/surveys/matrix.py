"""Sample URL parameters for the survey views (see tests/matrix_support.py)."""

from __future__ import annotations

NOT_OBJECT_SCOPED = {"surveys:trends"}
SKIP: dict[str, str] = {}

EXPORT = (
    "ethnicity,sex,I feel safe to speak up,Any comments?\n"
    + "".join(
        f"{e},{s},{a},Comment {n}\n"
        for n, (e, s, a) in enumerate(
            [("Indian", "Female", "Agree"), ("White British", "Male", "Disagree")] * 12
        )
    )
).encode()


def samples(org) -> dict[str, dict]:
    from datetime import date

    from equitable.surveys import imports
    from equitable.surveys.models import SurveyUpload

    survey = imports.import_export(
        org,
        EXPORT,
        "matrix.csv",
        title="Matrix survey",
        kind="pulse",
        fieldwork_month=date(2024, 6, 1),
        user=None,
    )
    scaled = survey.questions.get(kind="scaled")
    text = survey.questions.exclude(kind="scaled").first()
    upload = imports.start_upload(org, EXPORT, "matrix.csv", details={"title": "x"}, user=None)
    assert upload.status == SurveyUpload.Status.MAPPING
    return {
        "surveys:survey": {"pk": survey.pk},
        "surveys:question": {"pk": survey.pk, "code": scaled.code},
        "surveys:comments": {"pk": survey.pk, "code": text.code},
        "surveys:download": {"pk": survey.pk, "fmt": "json"},
        "surveys:delete": {"pk": survey.pk},
        "surveys:trends": {"bank_code": scaled.bank_item.code},
        "surveys:bank-item": {"pk": scaled.bank_item.pk},
        "surveys:import-mapping": {"pk": upload.pk},
        "surveys:import-cancel": {"pk": upload.pk},
    }
