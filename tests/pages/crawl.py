"""Open every page of the demo as every demo persona, as the demo serves it; report what failed.

Run as a child process by tests/pages/test_every_page.py (so that it gets the demo's own
settings, `equitable.settings` with nothing overridden, not the test settings):

    python -m tests.pages.crawl DATA_DIR OUT.json

It sets the demo up exactly as `equitable demo --setup-only --data-dir DATA_DIR` does, then,
for anonymous visitors and each demo sign-in, starts from every URL in Django's resolver that
needs no parameter and follows every link and redirect it finds (so objects come from the demo
data, not from a list). Every form that asks for input is submitted empty, as a person pressing
the button without typing would, so its error messages render. Each persona's requests run in a
transaction rolled back at the end, so what one persona submits does not change another's pages.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import time
import traceback
from collections import defaultdict, deque
from urllib.parse import urljoin, urlsplit

# Objects (integer ids) opened per URL pattern and persona once their pages offer nothing new
# (an object whose page has a form not seen before, e.g. an online report's reply form, counts
# as new): the first few show the template; the rest only repeat it.
MAX_OBJECTS_PER_ROUTE = 2
# Routes whose objects differ in what they offer: every demo mentoring pair is opened (five),
# since only a confirmed one has the check-in and end forms and the pairs' order is random.
OBJECTS_PER_ROUTE = {"mentoring:pair": 5}
MAX_FILES_PER_ROUTE = 2  # downloads (anything not HTML) fetched per URL pattern and persona
MAX_QUERIES_PER_PATH = 3  # distinct query strings opened per path and persona
NOT_PAGES = ("/api/",)  # the JSON API has its own tests (schema, matrix, fuzzing)


def _is_pdf(path: str) -> bool:
    """PDFs are rendered by WeasyPrint from the same templates (tested on their own); skipping
    them keeps this walk quick."""
    return path.endswith((".pdf", "/pdf/"))


class Crawl:
    def __init__(self, persona: str | None):
        from django.test import Client

        self.persona = persona or "anonymous"
        self.client = Client(raise_request_exception=False)
        self.failures: list[dict] = []
        self.reached: dict[str, set[int]] = defaultdict(set)
        self.requests = 0
        self._seen: set[str] = set()
        self._objects: dict[str, set[tuple]] = defaultdict(set)
        self._queries: dict[str, int] = defaultdict(int)
        self._posted: set[tuple] = set()
        self._form_kinds: set[tuple] = set()
        self._files: dict[str, int] = defaultdict(int)
        self._user = None
        # The first HTML page of each URL pattern this persona opened, for the page-width check.
        self.pages: dict[str, str] = {}
        if persona:
            from equitable.core.models import User

            self._user = User.objects.get(username=persona)
            self.client.force_login(self._user)

    def fail(self, method: str, url: str, problem: str) -> None:
        self.failures.append(
            {"persona": self.persona, "method": method, "url": url, "problem": problem}
        )

    def _route(self, path: str):
        from django.urls import Resolver404, resolve

        try:
            return resolve(path)
        except Resolver404:
            return None

    def _wanted(self, url: str) -> bool:
        """Whether to open this URL: new, ours, a page, and within the per-pattern budget."""
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            return False
        if parts.path.startswith(NOT_PAGES) or _is_pdf(parts.path) or url in self._seen:
            return False
        match = self._route(parts.path)
        if match is None:
            return True  # a link to nowhere: opened, and reported as a 404
        if self._files[match.view_name] >= MAX_FILES_PER_ROUTE:
            return False
        ids = _ids(match)
        budget = OBJECTS_PER_ROUTE.get(match.view_name, MAX_OBJECTS_PER_ROUTE)
        if ids and len(self._objects[match.view_name] - {ids}) >= budget:
            return False
        if parts.query:
            if self._queries[parts.path] >= MAX_QUERIES_PER_PATH:
                return False
            self._queries[parts.path] += 1
        return True

    def _nothing_new(self, url: str, forms) -> None:
        """Count an object page towards its pattern's budget unless it offered a new form."""
        match = self._route(urlsplit(url).path)
        kinds = {self._form_kind(url, form) for form in forms}
        if match is not None and _ids(match) and kinds <= self._form_kinds:
            self._objects[match.view_name].add(_ids(match))
        self._form_kinds |= kinds

    def _form_kind(self, url: str, form) -> tuple:
        action = urljoin(url, form.action or url)
        match = self._route(urlsplit(action).path)
        names = tuple(sorted(f.name for f in form.user_fields()))
        return (match.view_name if match else action, form.method, names)

    def run(self, start: list[str]) -> None:
        from django.db import transaction

        with transaction.atomic():
            queue = deque((url, True) for url in start)
            while queue:
                url, from_resolver = queue.popleft()
                if not self._wanted(url):
                    continue
                self._seen.add(url)
                for found in self.get(url, from_resolver=from_resolver):
                    queue.append((found, False))
            transaction.set_rollback(True)

    def _record(self, path: str, status: int) -> None:
        match = self._route(urlsplit(path).path)
        if match is not None:
            self.reached[match.view_name].add(status)

    def get(self, url: str, *, from_resolver: bool) -> list[str]:
        from tests.pages import html_checks

        response = self.client.get(url)
        self.requests += 1
        self._record(url, response.status_code)
        status = response.status_code
        if status == 500:
            self.fail("GET", url, "500: " + _last_error())
            return []
        if status in {301, 302, 303}:
            return [urljoin(url, response["Location"])]
        if status != 200:
            # Any URL in the resolver may refuse a role (403), want POST (405) or want sign-in;
            # a link the page itself offered must work.
            if not from_resolver:
                self.fail("GET", url, f"a link on a page answers {status}")
            return []
        if "text/html" not in response.get("Content-Type", ""):
            match = self._route(urlsplit(url).path)
            if match is not None:
                self._files[match.view_name] += 1
            return []
        html = b"".join(response.streaming_content if response.streaming else [response.content])
        text = html.decode()
        match = self._route(urlsplit(url).path)
        if match is not None:
            self.pages.setdefault(match.view_name, url)
        for problem in html_checks.markup_problems(text):
            self.fail("GET", url, problem)
        page = html_checks.parse(text)
        self._nothing_new(url, page.forms)
        for form in page.forms:
            for problem in html_checks.default_problems(form):
                self.fail("GET", url, problem)
            if form.method == "post" and form.user_fields():
                self.post_empty(url, form)
        return [urljoin(url, link.split("#")[0]) for link in page.links if not link.startswith("#")]

    def post_empty(self, page_url: str, form) -> None:
        from tests.pages import html_checks

        action = urljoin(page_url, form.action or page_url)
        match = self._route(urlsplit(action).path)
        key = (
            match.view_name if match else action,
            tuple(sorted(form.hidden_values())),
        )
        if key in self._posted:
            return
        self._posted.add(key)
        response = self.client.post(action, form.hidden_values())
        self.requests += 1
        self._record(action, response.status_code)
        if self._user is not None:
            self.client.force_login(self._user)  # whatever the form did, stay signed in
        if response.status_code == 500:
            self.fail("POST", action, "500: " + _last_error())
            return
        # A form with errors answers 200 or 400 with the page and its error messages.
        if response.status_code not in {200, 400}:
            return
        if "text/html" not in response.get("Content-Type", ""):
            self.fail("POST", action, "an empty submission did not answer with a page")
            return
        text = response.content.decode()
        for problem in html_checks.markup_problems(text):
            self.fail("POST", action, problem)
        same = [
            f
            for f in html_checks.parse(text).forms
            if urljoin(action, f.action or action) == action
            and {x.name for x in f.user_fields()} == {x.name for x in form.user_fields()}
        ]
        for again in same[:1]:
            for problem in html_checks.empty_after_empty_post(again):
                self.fail("POST", action, problem)


def _ids(match) -> tuple:
    return tuple(v for _, v in sorted(match.kwargs.items()) if isinstance(v, int))


def _draw_each_chart_once() -> None:
    """The same chart for two personas is the same SVG: draw it once (the walk's largest cost)."""
    import functools
    import json as _json
    import types

    from equitable.core import charts

    convert = charts.vlc.vegalite_to_svg

    @functools.cache
    def cached(spec_json: str) -> str:
        return convert(_json.loads(spec_json))

    charts.vlc = types.SimpleNamespace(
        vegalite_to_svg=lambda spec: cached(_json.dumps(spec, sort_keys=True))
    )


_errors: list[str] = []


def _remember_error(sender, request=None, **kwargs):
    _errors.append(traceback.format_exc())


def _last_error() -> str:
    return _errors[-1].strip().splitlines()[-1] if _errors else "no exception recorded"


def main(data_dir: str, out: str) -> int:
    os.environ["DJANGO_SETTINGS_MODULE"] = "equitable.settings"
    for name in ("DATABASE_URL", "EQUITABLE_ENV", "EQUITABLE_DEBUG"):
        os.environ.pop(name, None)
    started = time.monotonic()
    from equitable.cli import main as equitable

    with contextlib.redirect_stdout(sys.stderr):
        status = equitable(["demo", "--setup-only", "--data-dir", data_dir])
    if status:
        return status
    set_up = time.monotonic() - started

    from django.conf import settings
    from django.core.signals import got_request_exception
    from django.template import engines

    from equitable.core.demo import DEMO_USERS
    from tests.matrix_support import all_routes

    got_request_exception.connect(_remember_error)
    _draw_each_chart_once()
    routes = [r for r in all_routes() if not r.pattern.startswith(NOT_PAGES[0].strip("/"))]
    start = ["/", "/no-such-page/"] + [
        "/" + r.pattern for r in routes if not r.has_params and not _is_pdf("/" + r.pattern)
    ]
    personas: list[str | None] = [None, *(username for username, _, _ in DEMO_USERS)]
    failures: list[dict] = []
    reached: dict[str, list[str]] = defaultdict(list)
    requests: dict[str, int] = {}
    pages: dict[str, dict[str, str]] = {}
    for persona in personas:
        crawl = Crawl(persona)
        crawl.run(start)
        failures.extend(crawl.failures)
        requests[crawl.persona] = crawl.requests
        pages[crawl.persona] = crawl.pages
        for name, statuses in crawl.reached.items():
            if statuses & {200, 302, 400}:
                reached[name].append(crawl.persona)
    not_found = Crawl(None).client.get("/no-such-page/")
    result = {
        "debug": settings.DEBUG,
        "undefined": engines["jinja2"].env.undefined.__name__,
        "not_found_page": not_found.content.decode(),
        "not_found_status": not_found.status_code,
        "failures": failures,
        "reached": reached,
        "routes": [r.name for r in routes if not _is_pdf("/" + r.pattern)],
        "requests": requests,
        "pages": pages,
        "set_up_seconds": round(set_up, 1),
        "crawl_seconds": round(time.monotonic() - started - set_up, 1),
    }
    with open(out, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
