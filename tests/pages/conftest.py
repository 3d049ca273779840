"""The demo walk, shared by the page checks (tests/pages/crawl.py does the walking)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def walk(tmp_path_factory) -> dict:
    data_dir = tmp_path_factory.mktemp("demo-walk")
    out = data_dir / "walk.json"
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment["PYTHONPATH"] = str(PROJECT)
    result = subprocess.run(
        [sys.executable, "-m", "tests.pages.crawl", str(data_dir / "data"), str(out)],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,  # the demo set-up (every capability, four survey waves) and every page
    )
    assert result.returncode == 0, result.stderr[-5000:]
    walked = json.loads(out.read_text())
    walked["data_dir"] = str(data_dir / "data")
    return walked
