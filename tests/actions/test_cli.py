"""`equitable action-plan export|import` and `equitable board-report`, run in-process against
the test database (Django is already set up, so setting up and migrating are skipped)."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from equitable.actions.models import Action
from equitable.actions.spreadsheet import PLAN_SHEET
from equitable.cli import main

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_setup(monkeypatch):
    from equitable.core import runtime

    monkeypatch.setattr(runtime, "setup_django", lambda data_dir=None: None)
    monkeypatch.setattr(runtime, "migrate", lambda verbosity=0: None)


def _args(org, *rest):
    return [*rest, "--organisation", org.slug, "--data-dir", "unused"]


def test_export_then_import_a_change(org, corporate, tmp_path, capsys):
    out = tmp_path / "plan.xlsx"
    assert main(["action-plan", "export", *_args(org, "--out", str(out))]) == 0
    workbook = load_workbook(out)
    workbook[PLAN_SHEET]["L2"] = "off track"
    workbook.save(out)
    assert main(["action-plan", "import", str(out), *_args(org)]) == 0
    assert "actions: 0 new, 1 changed, 0 unchanged" in capsys.readouterr().out
    assert Action.objects.get(ref="C-1").status == "off track"


def test_import_with_problems_exits_2_and_changes_nothing(org, corporate, tmp_path, capsys):
    out = tmp_path / "plan.xlsx"
    main(["action-plan", "export", *_args(org, "--out", str(out))])
    workbook = load_workbook(out)
    workbook[PLAN_SHEET]["L2"] = "finished"
    workbook.save(out)
    assert main(["action-plan", "import", str(out), *_args(org)]) == 2
    error = capsys.readouterr().err
    assert "1 problems; nothing was changed" in error
    assert "Action plan, row 2, column “Status” (value “finished”)" in error
    assert Action.objects.get(ref="C-1").status == "on track"


def test_unknown_organisation_and_missing_file_exit_2(org, tmp_path):
    assert (
        main(
            [
                "action-plan",
                "export",
                "--organisation",
                "nowhere",
                "--out",
                str(tmp_path / "x.xlsx"),
            ]
        )
        == 2
    )
    assert main(["action-plan", "import", str(tmp_path / "missing.xlsx"), *_args(org)]) == 2


def test_board_report_pdf(org, corporate, tmp_path):
    out = tmp_path / "report.pdf"
    assert main(["board-report", *_args(org, "--quarter", "2025Q1", "--out", str(out))]) == 0
    text = PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    assert "race equality board report, 2025Q1" in text
    assert main(["board-report", *_args(org, "--quarter", "2025Q7", "--out", str(out))]) == 2
