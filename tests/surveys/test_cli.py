"""`equitable survey-import`: the web import's rules from the command line."""

from __future__ import annotations

import pytest

from equitable.cli import main
from equitable.surveys.models import Survey

HEADER = "respondent_id,ethnicity,sex,safe_to_speak_up\n"


@pytest.fixture
def no_setup(monkeypatch):
    monkeypatch.setattr("equitable.core.runtime.setup_django", lambda data_dir=None: None)
    monkeypatch.setattr("equitable.core.runtime.migrate", lambda verbosity=0: None)


def _argv(org, path, *extra):
    return [
        "survey-import",
        str(path),
        "--organisation",
        org.slug,
        "--title",
        "Pulse 2025",
        "--kind",
        "pulse",
        "--month",
        "2025-06",
        *extra,
    ]


def test_a_clean_export_is_stored_and_a_later_wave_follows_it(org, tmp_path, capsys, no_setup):
    export = tmp_path / "pulse.csv"
    export.write_text(
        HEADER + "".join(f"{n},Indian,Female,Agree\n" for n in range(12)), encoding="utf-8"
    )
    assert main(_argv(org, export)) == 0
    assert "Stored 12 responses as 'Pulse 2025'" in capsys.readouterr().out
    first = Survey.objects.get(organisation=org)
    assert (first.respondent_count, first.kind, first.fieldwork_month.isoformat()) == (
        12,
        "pulse",
        "2025-06-01",
    )
    argv = _argv(org, export, "--previous", "Pulse 2025")
    argv[argv.index("Pulse 2025")] = "Pulse 2026"
    argv[argv.index("2025-06")] = "2026-06"
    assert main(argv) == 0
    assert Survey.objects.get(title="Pulse 2026").previous == first


def test_every_problem_is_listed_and_nothing_is_stored(org, tmp_path, capsys, no_setup):
    export = tmp_path / "odd.csv"
    export.write_text(HEADER + "1,Martian,Female,Agree\n2,Indian,Female,Agree\n")
    assert main(_argv(org, export)) == 2
    err = capsys.readouterr().err
    assert "nothing was stored" in err and "Martian" in err and "ethnicity" in err
    assert not Survey.objects.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--previous", "No such wave"], "has no survey titled"),
        (["--month", "June"], "not a month"),
    ],
)
def test_a_bad_argument_is_refused_before_reading(org, tmp_path, capsys, no_setup, extra, message):
    export = tmp_path / "pulse.csv"
    export.write_text(HEADER + "1,Indian,Female,Agree\n")
    argv = _argv(org, export)
    if extra[0] == "--month":
        argv[argv.index("2025-06")] = extra[1]
    else:
        argv += extra
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not Survey.objects.exists()


def test_an_unknown_organisation_is_refused(db, tmp_path, capsys, no_setup):
    export = tmp_path / "pulse.csv"
    export.write_text(HEADER)
    assert (
        main(
            [
                "survey-import",
                str(export),
                "--organisation",
                "nowhere",
                "--title",
                "T",
                "--kind",
                "race",
                "--month",
                "2025-01",
            ]
        )
        == 2
    )
    assert "No organisation" in capsys.readouterr().err
