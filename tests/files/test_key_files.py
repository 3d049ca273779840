"""Secret files are created once, readable by their owner only, and never overwritten."""

from __future__ import annotations

import stat
import threading
from itertools import count

from equitable.files.key_files import ensure_secret_file


def test_a_new_key_is_written_for_the_owner_only_in_a_private_folder(tmp_path):
    path = tmp_path / "keys" / "secret"
    assert ensure_secret_file(path, lambda: "abc") == "abc"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.read_text() == "abc\n"
    assert [p.name for p in path.parent.iterdir()] == ["secret"]  # no temporary file left


def test_an_existing_key_is_kept(tmp_path):
    path = tmp_path / "secret"
    path.write_text("first\n")
    assert ensure_secret_file(path, lambda: "second") == "first"
    assert path.read_text() == "first\n"


def test_processes_starting_together_all_get_the_same_key(tmp_path):
    path = tmp_path / "keys" / "secret"
    numbers = count()
    start = threading.Barrier(8)
    seen: list[str] = []

    def make() -> str:
        return f"key-{next(numbers)}"

    def start_up() -> None:
        start.wait()
        seen.append(ensure_secret_file(path, make))

    threads = [threading.Thread(target=start_up) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(set(seen)) == 1
    assert seen[0] == path.read_text().strip()
