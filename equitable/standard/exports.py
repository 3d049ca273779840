"""The assessment as a PDF report (for the chief executive to sign) and as an XLSX workbook.

The PDF is HTML rendered by WeasyPrint with `pdf_tags=True` (a tagged, accessible PDF); the
workbook has one row per criterion so it can be filtered and shared with owners. Every cell is
written through equitable.files.tabular, so evidence notes that start with "=" stay text.
"""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from equitable.files import tabular
from equitable.standard import library as lib
from equitable.standard import services
from equitable.standard.models import Assessment

XLSX_COLUMNS = [
    ("Criterion", 10),
    ("Category", 32),
    ("Level reached", 14),
    ("Points", 8),
    ("Text of the level reached", 60),
    ("Evidence", 50),
    ("Links", 40),
    ("Evidence files", 30),
    ("Owner", 24),
    ("Next steps", 50),
    ("Suggested from data", 40),
    ("Reason for overruling", 40),
]


def criterion_rows(assessment: Assessment) -> list[dict]:
    """One row per criterion, in document order, with everything the exports show."""
    standard = assessment.standard
    responses = services.responses_by_id(assessment)
    files: dict[str, list[str]] = {}
    for evidence in assessment.evidence_files.all():
        files.setdefault(evidence.criterion_id, []).append(evidence.original_name)
    rows = []
    for category in standard.categories:
        for part in category.parts:
            for criterion in part.criteria:
                response = responses.get(criterion.id)
                level = response.level if response else "none"
                upcoming = criterion.next_level(level)
                rows.append(
                    {
                        "id": criterion.id,
                        "part_id": part.id,
                        "part_title": part.title,
                        "category": f"{category.id} {category.title}"
                        + (f": {part.title}" if category.has_parts else ""),
                        "level": level,
                        "level_name": lib.LEVEL_NAMES[level],
                        "points": lib.LEVEL_POINTS[level],
                        "text": criterion.texts.get(level, ""),
                        "next_level": lib.LEVEL_NAMES[upcoming] if upcoming else "",
                        "next_text": criterion.texts[upcoming] if upcoming else "",
                        "evidence": response.evidence_notes if response else "",
                        "links": response.link_list() if response else [],
                        "files": files.get(criterion.id, []),
                        "owner": response.owner if response else "",
                        "next_steps": response.next_steps if response else "",
                        "suggestion": (
                            f"{lib.LEVEL_NAMES[response.suggested_level]}: {response.suggestion_figure}"
                            if response and response.suggested_level
                            else ""
                        ),
                        "overruled_reason": response.overruled_reason if response else "",
                    }
                )
    return rows


def assessment_xlsx(assessment: Assessment) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Criteria"
    tabular.append_header(sheet, [name for name, _ in XLSX_COLUMNS])
    for row in criterion_rows(assessment):
        tabular.append_row(
            sheet,
            [
                row["id"],
                row["category"],
                row["level_name"],
                row["points"],
                row["text"],
                row["evidence"],
                "\n".join(row["links"]),
                "\n".join(row["files"]),
                row["owner"],
                row["next_steps"],
                row["suggestion"],
                row["overruled_reason"],
            ],
        )
    for index, (_, width) in enumerate(XLSX_COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "B2"

    summary = workbook.create_sheet("Summary")
    tabular.append_header(summary, ["Category", "Title", "Points", "Maximum", "Level"])
    result = services.result_of(assessment)
    for category in result.categories:
        tabular.append_row(
            summary,
            [
                category.id,
                category.title,
                category.points,
                category.max_points,
                lib.LEVEL_NAMES[category.level],
            ],
        )
    tabular.append_row(
        summary, ["Overall", "", result.points, result.max_points, lib.LEVEL_NAMES[result.level]]
    )
    summary.column_dimensions["B"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assessment_html(assessment: Assessment) -> str:
    result = services.result_of(assessment)
    rows = criterion_rows(assessment)
    by_category: dict[str, list[dict]] = {}
    for row in rows:
        by_category.setdefault(row["id"].split(".")[0].rstrip("abcde"), []).append(row)
    return render_to_string(
        "standard/report_pdf.html",
        {
            "assessment": assessment,
            "organisation": assessment.organisation,
            "standard": assessment.standard,
            "result": result,
            "level_names": lib.LEVEL_NAMES,
            "rows_by_category": by_category,
            "adoption": services.statement_adoption(assessment.organisation),
            "disagreements": lib.range_disagreements(assessment.standard),
            "generated": timezone.localdate(),
        },
    )


def assessment_pdf(assessment: Assessment) -> bytes:
    from weasyprint import HTML

    return HTML(string=assessment_html(assessment)).write_pdf(pdf_tags=True)


def assessment_document(job) -> tuple[bytes, str]:
    """The self-assessment's PDF (core.documents)."""
    from equitable.core.access import get_for_user

    assessment = get_for_user(Assessment, job.requested_by, job.arguments["pk"])
    return assessment_pdf(assessment), f"standard-self-assessment-{assessment.pk}.pdf"
