"""The production set-up of docs/operations.md, end to end on loopback: nginx terminating TLS
in front of two `equitable serve` processes (round robin), PostgreSQL, Redis for the state they
share, and an `equitable worker` serving the job queue; then a back-up of that installation
restored into a fresh PostgreSQL database.

One story, as an HR analyst lives it through the real pages over HTTPS: sign in, upload an HR
extract (checked and stored by the worker, whichever web process took the upload), read the
figures (from either process), ask for the board report as PDF (made by the worker), and find
it all again in the restored copy.
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import textwrap
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
import requests

from tests.production.servers import free_port, nginx_in_front_of, wait_for_port
from tests.redis_support import redis_port  # noqa: F401

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-deployment-test-password"
PASSPHRASE = "a passphrase for the deployment back-up"
SERVER = "postgresql://postgres@127.0.0.1:5432"
REDIS_DB = 11  # apart from the other workers' test databases (tests/redis_support.py)
EMPLOYEES = 1500

PREPARE = textwrap.dedent(
    f"""
    import sys
    from equitable.core.runtime import setup_django, migrate
    setup_django(sys.argv[1]); migrate()
    from equitable.core.models import Organisation, User
    from equitable.metrics import synthetic
    org = Organisation.objects.create(slug="deploy-borough", name="Deploy Borough")
    for username, role in (("hr.analyst", "hr_analyst"), ("board.member", "board_member")):
        User.objects.create_user(
            username=username, password="{PASSWORD}", role=role, organisation=org
        )
    synthetic.write_workforce_csv(
        synthetic.generate_workforce({EMPLOYEES}, seed=5), sys.argv[2]
    )
    """
)
READ_BACK = textwrap.dedent(
    """
    import sys
    from equitable.core.runtime import setup_django
    setup_django(sys.argv[1])
    from equitable.core.models import Organisation
    from equitable.workforce import services
    org = Organisation.objects.get(slug="deploy-borough")
    snapshot = services.latest_snapshot(org)
    overall = services.published_tables(snapshot)["representation_overall"]
    print(snapshot.row_count, overall.height)
    """
)


@contextmanager
def postgres_database(name: str):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{SERVER}/{name}"
    finally:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def process(arguments: list[str], env: dict, log: Path):
    with open(log, "wb") as output:
        started = subprocess.Popen(
            [sys.executable, "-m", "equitable", *arguments],
            env=env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            yield started
        finally:
            started.terminate()
            try:
                started.wait(timeout=30)
            except subprocess.TimeoutExpired:
                started.kill()


class Browser:
    """A person's HTTPS session through nginx: cookies kept, CSRF token sent with each form."""

    def __init__(self, origin: str, cert: Path):
        self.origin = origin
        self.session = requests.Session()
        self.session.trust_env = False  # REQUESTS_CA_BUNDLE would replace the test's own CA
        self.session.verify = str(cert)

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.origin + path, timeout=60, allow_redirects=True)

    def post(
        self, path: str, data: dict, files: dict | None = None, *, form_on: str | None = None
    ) -> requests.Response:
        """Submit a form to `path`, read (for its CSRF token) from `form_on`, else `path`."""
        form = self.session.get(self.origin + (form_on or path), timeout=60)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert token is not None, (form.status_code, form.url, form.text[:500])
        return self.session.post(
            self.origin + path,
            data={**data, "csrfmiddlewaretoken": token.group(1)},
            files=files,
            headers={"Referer": self.origin + path},
            timeout=120,
        )

    def sign_in(self, username: str) -> None:
        answer = self.post("/sign-in/", {"username": username, "password": PASSWORD})
        assert answer.url.endswith("/home/"), answer.url

    def wait_for(self, path: str, words: str, *, seconds: float = 240) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            page = self.get(path).text
            if words in page:
                return page
            time.sleep(1)
        raise AssertionError(f"{path} never said {words!r}:\n{page[-3000:]}")


def _mapping_choices(page: str) -> dict[str, str]:
    """The column matching the mapping page proposes (each select's chosen option)."""
    choices = {}
    for name, body in re.findall(
        r'<select[^>]*name="(column_\d+)"[^>]*>(.*?)</select>', page, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        choices[name] = chosen.group(1) if chosen else ""
    return choices


def test_the_documented_production_chain_works_and_its_backup_restores(
    tmp_path,
    redis_port,  # noqa: F811
):
    if os.environ.get("DATABASE_URL"):
        pytest.skip("runs once, in the SQLite run: it makes PostgreSQL databases of its own")
    import redis

    redis.Redis(port=redis_port, db=REDIS_DB).flushdb()
    name = f"equitable_deploy_{secrets.token_hex(4)}"
    data_dir, restored_dir = tmp_path / "data", tmp_path / "restored"
    extract = tmp_path / "extract.csv"
    with ExitStack() as stack:
        database = stack.enter_context(postgres_database(name))
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "EQUITABLE_ENV": "production",
            "EQUITABLE_SECRET_KEY": "deployment-test-" + secrets.token_hex(24),
            "EQUITABLE_ALLOWED_HOSTS": "127.0.0.1",
            "EQUITABLE_TRUSTED_PROXY": "127.0.0.1",
            "EQUITABLE_DATA_DIR": str(data_dir),
            "DATABASE_URL": database,
            "EQUITABLE_REDIS_URL": f"redis://127.0.0.1:{redis_port}/{REDIS_DB}",
            "EQUITABLE_JOBS": "queue",
            "EQUITABLE_LOG_TO_FILE": "off",
        }
        env.pop("EQUITABLE_DEBUG", None)
        subprocess.run(
            [sys.executable, "-c", PREPARE, str(data_dir), str(extract)],
            env=env,
            cwd=ROOT,
            check=True,
            timeout=300,
        )
        ports = [free_port(), free_port()]
        for index, port in enumerate(ports):
            stack.enter_context(
                process(
                    ["serve", "--data-dir", str(data_dir), "--port", str(port), "--threads", "4"],
                    env,
                    tmp_path / f"serve-{index}.log",
                )
            )
        stack.enter_context(
            process(["worker", "--data-dir", str(data_dir)], env, tmp_path / "worker.log")
        )
        for port in ports:
            wait_for_port(port, timeout=120)
        front, cert = stack.enter_context(nginx_in_front_of(ports, tmp_path / "nginx"))
        analyst = Browser(f"https://127.0.0.1:{front}", cert)
        analyst.sign_in("hr.analyst")

        # Upload: the worker checks the file, whichever web process took it.
        with open(extract, "rb") as handle:
            answer = analyst.post(
                "/workforce/import/",
                {"snapshot_date": "2026-03-31"},
                files={"extract": ("extract.csv", handle, "text/csv")},
            )
        assert "Match the columns" in answer.text, answer.text[:2000]
        mapping_path = answer.url.removeprefix(analyst.origin)
        job_path = mapping_path.removesuffix("mapping/")
        analyst.post(mapping_path, _mapping_choices(answer.text))
        analyst.wait_for(job_path, "ready to store")
        analyst.post(job_path + "confirm/", {}, form_on=job_path)
        analyst.wait_for(job_path, "Extract imported")

        # The figures, from both processes (nginx takes turns), exact for the analyst.
        for _ in range(4):
            page = analyst.get("/workforce/figures/representation_overall/")
            assert page.status_code == 200 and 'role="img"' in page.text
        board = Browser(analyst.origin, cert)
        board.sign_in("board.member")
        assert "Representation" in board.get("/workforce/figures/representation_overall/").text

        # The board report as PDF: asked on one process, made by the worker, fetched on any.
        answer = board.get("/actions/board-report/2026Q1/pdf/")
        assert "/documents/" in answer.url, answer.url
        document = answer.url.removeprefix(board.origin)
        board.wait_for(document, "Download the PDF", seconds=180)
        pdf = board.get(document + "download/")
        assert pdf.headers["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        assert analyst.get(document).status_code == 404  # only the person who asked

        # A back-up of the running installation, restored into a new database and folder.
        passphrase = tmp_path / "passphrase"
        passphrase.write_text(PASSPHRASE)
        archive = tmp_path / "backup.tar.gz"
        subprocess.run(
            [sys.executable, "-m", "equitable", "backup", "--data-dir", str(data_dir)]
            + ["--out", str(archive), "--passphrase-file", str(passphrase)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=300,
        )
        restored_database = stack.enter_context(postgres_database(name + "_restored"))
        restored_env = {**env, "DATABASE_URL": restored_database}
        restored_env["EQUITABLE_DATA_DIR"] = str(restored_dir)
        subprocess.run(
            [sys.executable, "-m", "equitable", "restore", str(archive)]
            + ["--data-dir", str(restored_dir), "--passphrase-file", str(passphrase)],
            env=restored_env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            timeout=600,
        )
        read = subprocess.run(
            [sys.executable, "-c", READ_BACK, str(restored_dir)],
            env=restored_env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
        rows, groups = map(int, read.stdout.split())
        assert rows == EMPLOYEES and groups > 0
    redis.Redis(port=redis_port, db=REDIS_DB).flushdb()
