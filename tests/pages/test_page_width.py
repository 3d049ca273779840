"""No page of the demo is wider than the screen: at 375 px (a phone) and 1280 px (a laptop)
every page the walk opened fits, and anything wider (a table, a chart) scrolls inside its own
container, the GOV.UK pattern, not the page.

The demo the walk set up is served as production serves it (`equitable serve`, waitress, DEBUG
off) and each page is opened in Chromium as the persona the walk reached it as: every URL
pattern once per persona for which it was an HTML page, so what one role sees differently
(protected figures, a champion's directorate) is measured too.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.load import runner

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("every_page")]

WIDTHS = (375, 1280)


@pytest.fixture(scope="module")
def demo_server(walk):
    with runner.serving(Path(walk["data_dir"]), processes=1) as installation:
        yield installation.url


def _overflowing(page) -> str | None:
    """What sticks out of the page at this width (None when nothing does)."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          if (document.documentElement.scrollWidth <= width) return null;
          const culprits = [];
          for (const el of document.body.querySelectorAll('*')) {
            const box = el.getBoundingClientRect();
            if (box.right > width + 1 && !el.closest('.eq-table-scroll, pre')) {
              culprits.push(el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
            }
          }
          return document.documentElement.scrollWidth + 'px: ' + culprits.slice(0, 4).join(', ');
        }"""
    )


def test_no_page_is_wider_than_the_screen(walk, demo_server, browser):
    problems, measured = [], 0
    for persona, pages in walk["pages"].items():
        context = browser.new_context(viewport={"width": WIDTHS[0], "height": 800})
        page = context.new_page()
        # Generous: the suite runs beside other work on two cores; what is measured is width.
        page.set_default_timeout(120_000)
        if persona != "anonymous":
            page.goto(demo_server + "/sign-in/")
            page.fill("input[name=username]", persona)
            page.fill("input[name=password]", runner.DEMO_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
        for view_name, path in sorted(pages.items()):
            if view_name == "core:sign-out":
                continue
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 800})
                response = page.goto(demo_server + path)
                if response is None or response.status != 200:
                    continue
                measured += 1
                culprit = _overflowing(page)
                if culprit:
                    problems.append(f"{persona} {path} at {width} px: {culprit}")
        context.close()
    assert measured > 50
    assert not problems, f"{len(problems)} pages overflow:\n" + "\n".join(problems)
