"""Run one call on one file in a fresh interpreter; report what it raised, its time and the
growth of its peak memory (resident set, so memory allocated by C libraries such as Pillow and
zlib counts too). The interpreter's address space is capped, so a bomb that gets through fails
the test instead of the machine."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ADDRESS_SPACE_LIMIT = 3 * 1024**3

_RUNNER = textwrap.dedent(
    """
    import importlib, json, resource, sys, time
    resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
    sys.path.insert(0, {root!r})
    module_name, function_name, path = sys.argv[1:4]
    function = getattr(importlib.import_module(module_name), function_name)
    with open(path, "rb") as handle:
        data = handle.read()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    outcome = {{"error": None, "message": ""}}
    try:
        function(data)
    except ValueError as error:  # every refusal is a ValueError (UnsafeFile, WorkbookRefused …)
        problems = " ".join(str(p) for p in getattr(error, "problems", []))
        outcome = {{"error": type(error).__name__, "message": f"{{error}} {{problems}}"}}
    outcome["seconds"] = time.perf_counter() - started
    outcome["peak_mb"] = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    print(json.dumps(outcome))
    """
)


def measure(target: str, data: bytes, tmp_path: Path) -> dict:
    """`target` is "module:function"; the function is called with the file's bytes."""
    module_name, function_name = target.split(":")
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    code = _RUNNER.format(limit=ADDRESS_SPACE_LIMIT, root=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", code, module_name, function_name, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
