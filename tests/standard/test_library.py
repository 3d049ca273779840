"""The Standard as data: the file as transcribed, its ranges, scoring and refused responses."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from equitable.standard import library as lib

EXAMPLE = lib.DATA_DIR / "examples" / "worked-example.yaml"

# Published score ranges, as printed in seed 004 for each category.
PUBLISHED = {
    "1": [(0, 10), (11, 18), (19, 22)],
    "2": [(0, 36), (37, 59), (60, 75)],
    "3": [(0, 10), (11, 12), (13, 18)],
    "4": [(0, 2), (3, 13), (14, 15)],
    "5": [(0, 5), (6, 9), (10, 11)],
    "6": [(0, 14), (15, 23), (24, 27)],
    "7": [(0, 9), (10, 16), (17, 21)],
}
ROW_COUNTS = {
    "1": 8, "2a": 9, "2b": 7, "2c": 7, "2d": 2, "2e": 3,
    "3": 6, "4": 5, "5": 4, "6": 11, "7": 7,
}  # fmt: skip


@pytest.fixture(scope="module")
def standard() -> lib.Standard:
    return lib.get_standard("celc-tri")


@pytest.fixture(scope="module")
def raw() -> dict:
    return yaml.safe_load((lib.DATA_DIR / "celc-tri-2022.yaml").read_text(encoding="utf-8"))


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "standard.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


# ------------------------------------------------------------------ the file as transcribed


def test_it_has_the_seven_categories_with_parts_a_to_e_of_category_2(standard):
    assert [c.id for c in standard.categories] == ["1", "2", "3", "4", "5", "6", "7"]
    assert [p.id for p in standard.category("2").parts] == ["2a", "2b", "2c", "2d", "2e"]
    assert [p.title for p in standard.category("2").parts] == [
        "Recruitment",
        "Induction and Supervision",
        "Training and Development",
        "Retention and Reward",
        "Disciplinary and Grievances",
    ]
    assert standard.category("6").title == "Staff Networks and Trade Unions"


def test_criterion_ids_number_rows_in_document_order(standard):
    counts: dict[str, int] = {}
    for criterion in standard.criteria.values():
        counts[criterion.part_id] = counts.get(criterion.part_id, 0) + 1
    assert counts == ROW_COUNTS
    ids = list(standard.criteria)
    assert ids[:8] == [f"1.{n}" for n in range(1, 9)]
    assert ids[-1] == "7.7" and "2e.3" in ids and "6.11" in ids


@pytest.mark.parametrize(
    ("criterion_id", "offered", "starts"),
    [
        (
            "1.1",
            ("developing", "established", "leading"),
            {"established": "A senior 'race' champion"},
        ),
        ("1.7", ("leading",), {"leading": "Dedicated leadership meetings"}),
        ("2a.5", ("established",), {"established": "An annual review of appointments"}),
        (
            "2a.8",
            ("developing", "established", "leading"),
            {"established": "The workforce is reflective of the local community at some"},
        ),
        (
            "2c.1",
            ("developing", "leading"),
            {"leading": "Inclusive mentoring and reverse mentoring"},
        ),
        (
            "2c.2",
            ("developing",),
            {"developing": "Black, Asian and Ethnic Multi-Ethnic staff and line managers"},
        ),
        (
            "2d.1",
            ("developing", "established", "leading"),
            {"leading": "Pay data demonstrates that there is no ethnicity pay gap"},
        ),
        ("3.3", ("established", "leading"), {"leading": "The organisation takes positive action"}),
        ("4.5", ("leading",), {"leading": "Exploratory work encompassing"}),
        ("6.1", ("developing",), {"developing": "A safe environment is fostered"}),
        ("6.9", ("leading",), {"leading": "Staff networks hold senior leadership accountable"}),
        ("7.7", ("leading",), {"leading": "Promote a culture of sustained engagement"}),
    ],
)
def test_each_level_text_sits_on_its_row(standard, criterion_id, offered, starts):
    criterion = standard.criterion(criterion_id)
    assert criterion.offered == offered
    for level, beginning in starts.items():
        assert criterion.texts[level].startswith(beginning)


def test_3_3_carries_the_disclosure_thresholds(standard):
    texts = standard.criterion("3.3").texts
    assert "less than 10%" in texts["established"] and "less than 5%" in texts["leading"]


def test_glossary_and_statement_commitments_are_data(standard):
    terms = [entry["term"] for entry in standard.glossary]
    assert "Racial trauma" in terms and "Anti-racist culture" in terms
    blank = next(e for e in standard.glossary if e["term"].startswith("Compliance"))
    assert blank["definition"] is None and blank["note"]
    assert [c["id"] for c in standard.commitments] == [
        "commitment.1", "commitment.2", "commitment.3",
        "approach.1", "approach.2", "approach.3", "approach.4", "approach.5",
    ]  # fmt: skip
    assert standard.commitments[-1]["text"].endswith("openly publish ethnicity pay data.")


# ------------------------------------------------------------------ ranges


@pytest.mark.parametrize("category_id", list(PUBLISHED))
def test_published_ranges_are_as_printed(standard, category_id):
    ranges = standard.category(category_id).published_ranges
    assert [(r.min, r.max) for r in ranges] == PUBLISHED[category_id]
    assert [r.level for r in ranges] == ["developing", "established", "leading"]


def test_category_1_derivation_matches_the_documents_own_explanation(standard):
    # "2 points (the two developing practice levels) + 8 points (the four remaining
    # established practice levels) = 10 points"
    assert [(r.min, r.max) for r in standard.category("1").derived_ranges] == [
        (0, 10),
        (11, 18),
        (19, 22),
    ]


@pytest.mark.parametrize("category_id", ["1", "3", "4", "5", "6", "7"])
def test_derived_ranges_agree_with_published_except_category_2(standard, category_id):
    category = standard.category(category_id)
    assert category.derived_ranges == category.published_ranges


def test_only_category_2_disagrees_and_every_difference_is_reported(standard):
    disagreements = lib.range_disagreements(standard)
    assert [d.category_id for d in disagreements] == ["2"]
    assert disagreements[0].differences == [
        "developing: published 0–36, derived 0–38",
        "established: published 37–59, derived 39–60",
        "leading: published 60–75, derived 61–76",
    ]


def test_a_changed_range_is_reported_for_that_category(raw, tmp_path):
    data = copy.deepcopy(raw)
    data["categories"][4]["score_ranges"] = {
        "developing": {"min": 0, "max": 4},
        "established": {"min": 5, "max": 9},
        "leading": {"min": 10, "max": 11},
    }
    changed = lib.load_standard(write(tmp_path, data))
    assert [d.category_id for d in lib.range_disagreements(changed)] == ["2", "5"]


# ------------------------------------------------------------------ levels and boundaries


def _boundaries():
    for category_id, ranges in PUBLISHED.items():
        for (low, high), level in zip(ranges, lib.LEVELS, strict=True):
            yield category_id, low, level
            yield category_id, high, level
        yield category_id, ranges[-1][1] + 1, "leading"  # above the top: still leading


@pytest.mark.parametrize(("category_id", "points", "level"), list(_boundaries()))
def test_boundary_scores_take_the_published_level(standard, category_id, points, level):
    assert lib.level_for(points, standard.category(category_id).published_ranges) == level


def test_negative_points_are_impossible(standard):
    with pytest.raises(ValueError, match="negative"):
        lib.level_for(-1, standard.category("1").published_ranges)


def test_every_row_at_its_top_gives_the_category_maximum_and_leading(standard):
    responses = {c.id: c.offered[-1] for c in standard.criteria.values()}
    result = lib.score(standard, responses)
    assert {c.id: c.points for c in result.categories} == {
        "1": 22, "2": 76, "3": 18, "4": 15, "5": 11, "6": 27, "7": 21,
    }  # fmt: skip
    assert all(c.level == "leading" for c in result.categories)
    assert result.points == result.max_points == 190
    assert result.level == "leading"


def test_category_2_at_76_is_leading_although_its_published_range_stops_at_75(standard):
    responses = {c.id: c.offered[-1] for c in standard.category("2").criteria}
    category = lib.score(standard, responses).category("2")
    assert (category.points, category.max_points, category.level) == (76, 76, "leading")


def test_category_2_parts_are_scored_and_sum_to_the_category(standard):
    responses = {"2a.1": "leading", "2b.2": "established", "2d.1": "developing"}
    category = lib.score(standard, responses).category("2")
    assert [(p.id, p.points, p.max_points) for p in category.parts] == [
        ("2a", 3, 25), ("2b", 2, 20), ("2c", 0, 16), ("2d", 1, 6), ("2e", 0, 9),
    ]  # fmt: skip
    assert category.points == 6 and category.level == "developing"


# ------------------------------------------------------------------ the worked example


def test_worked_example_scores_15_points_established():
    result = lib.score_assessment_file(EXAMPLE)
    category = result.category("1")
    assert [category.criterion_points[f"1.{n}"] for n in range(1, 9)] == [2, 1, 2, 2, 2, 3, 0, 3]
    assert (category.points, category.level) == (15, "established")
    assert (result.points, result.level) == (15, "established")
    assert category.next_level.level == "leading" and category.points_to_next_level == 4


def test_missing_ids_count_as_none(standard):
    result = lib.score(standard, {"3.1": "developing"})
    assert result.category("3").points == 1
    assert result.category("4").points == 0 and result.category("4").level == "developing"
    assert result.points == 1 and result.level == "developing"


def test_overall_ranges_are_the_sum_of_category_ranges(standard):
    ranges = lib.overall_ranges(standard.categories)
    assert [(r.min, r.max) for r in ranges] == [(0, 86), (87, 150), (151, 189)]


# ------------------------------------------------------------------ refused responses


def test_a_level_the_row_does_not_offer_is_refused_naming_its_levels(standard):
    with pytest.raises(lib.ResponseError) as refused:
        lib.score(standard, {"1.7": "developing", "2c.2": "leading"})
    assert refused.value.problems == [
        "1.7: developing is not offered; 1.7 offers none, leading",
        "2c.2: leading is not offered; 2c.2 offers none, developing",
    ]


def test_unknown_ids_and_levels_are_refused(standard):
    with pytest.raises(lib.ResponseError) as refused:
        lib.score(standard, {"8.1": "leading", "1.1": "excellent", 6.1: "developing"})
    problems = refused.value.problems
    assert problems[0] == "8.1: no such criterion in celc-tri 2022"
    assert problems[1].startswith("1.1: 'excellent' is not a level")
    assert "1.1 offers none, developing, established, leading" in problems[1]
    assert "quote them in YAML" in problems[2]


def test_levels_are_read_leniently_but_not_guessed(standard):
    result = lib.score(standard, {"1.1": " Leading ", "1.2": None, "1.3": "NONE"})
    assert result.category("1").points == 3


def test_categories_outside_the_assessment_scope_are_refused(standard):
    with pytest.raises(lib.ResponseError, match="3.3: category 3 is not among"):
        lib.score(standard, {"3.3": "leading"}, categories=["1"])
    with pytest.raises(lib.ResponseError, match="category 9: no such category"):
        lib.score(standard, {}, categories=["9"])


def test_yaml_ids_stay_text_so_6_10_is_not_6_1(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("standard: celc-tri\nresponses:\n  6.10: leading\n  6.1: developing\n")
    result = lib.score_assessment_file(path)
    assert result.category("6").criterion_points["6.10"] == 3
    assert result.category("6").points == 4


def test_assessment_files_with_the_wrong_shape_are_refused(tmp_path):
    path = tmp_path / "a.json"
    path.write_text('{"responses": ["1.1"], "extra": 1}')
    with pytest.raises(lib.ResponseError) as refused:
        lib.score_assessment_file(path)
    assert len(refused.value.problems) == 3  # unknown key, no standard, responses not a mapping
    path.write_text("{not json")
    with pytest.raises(lib.ResponseError, match="not valid JSON"):
        lib.score_assessment_file(path)


def test_an_unknown_standard_or_version_is_refused(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("standard: celc-tri\nversion: '1999'\nresponses: {}\n")
    with pytest.raises(lib.ResponseError, match="no version '1999'; available: 2022"):
        lib.score_assessment_file(path)
    path.write_text("standard: other\nresponses: {}\n")
    with pytest.raises(lib.ResponseError, match="no Standard with id 'other'"):
        lib.score_assessment_file(path)


# ------------------------------------------------------------------ the Standard file's schema


def test_schema_errors_are_named_precisely_and_all_reported(raw, tmp_path):
    data = copy.deepcopy(raw)
    data["version"] = 2022
    del data["title"]
    rows = data["categories"][0]["criteria"]
    rows[2]["id"] = "1.9"
    rows[3] = {"id": "1.4"}
    rows[4]["excellent"] = "text"
    data["categories"][2]["score_ranges"]["established"]["min"] = 12
    with pytest.raises(lib.StandardFileError) as refused:
        lib.load_standard(write(tmp_path, data))
    assert refused.value.problems == [
        'version: expected quoted text such as "2022", got 2022',
        "categories[0] (category 1).criteria[2]: id should be '1.3' (ids number rows in document order), got '1.9'",
        "categories[0] (category 1).criteria[3] (1.4): offers no level; give at least one of developing, established, leading",
        "categories[0] (category 1).criteria[4] (1.5): unknown keys excellent; a row has id, notes and the levels developing, established, leading",
        "categories[2] (category 3).score_ranges.established: min should be 11 (ranges start at 0 and are contiguous), got 12",
        "title: expected non-empty text, got None",
    ]


def test_a_file_that_is_not_yaml_is_refused(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("id: [unclosed\n")
    with pytest.raises(lib.StandardFileError, match="not valid YAML"):
        lib.load_standard(path)


def test_a_new_version_is_found_by_adding_a_file(raw, tmp_path):
    (tmp_path / "celc-tri-2022.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True))
    newer = copy.deepcopy(raw)
    newer["version"] = "2024"
    newer["categories"][0]["criteria"][6]["established"] = "A new established practice."
    (tmp_path / "celc-tri-2024.yaml").write_text(yaml.safe_dump(newer, allow_unicode=True))
    assert [(i.id, i.version) for i in lib.available_standards(tmp_path)] == [
        ("celc-tri", "2022"),
        ("celc-tri", "2024"),
    ]
    assert lib.get_standard("celc-tri", data_dir=tmp_path).version == "2024"
    older = lib.get_standard("celc-tri", "2022", data_dir=tmp_path)
    assert older.criterion("1.7").offered == ("leading",)
    assert lib.get_standard("celc-tri", "2024", data_dir=tmp_path).criterion("1.7").offered == (
        "established",
        "leading",
    )


def test_the_library_does_not_import_django():
    import subprocess
    import sys

    code = "import sys, equitable.standard.library, equitable.standard.cli; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
