"""Demo board reports: the 2025Q1 report issued (the quarter of the newest demo snapshot) and
the current quarter's draft with its key messages written, its figures following the data.

Loaded last by `equitable demo` (after the incidents app), so the issued report's Dignity at
Work section has the demo's reports in it.
"""

from __future__ import annotations

from collections.abc import Callable

from equitable.actions import board_reports, services
from equitable.actions.models import BoardReport
from equitable.core.models import Organisation, User
from equitable.core.roles import Role

DEMO_SLUG = "demo-borough"
ISSUED_QUARTER = "2025Q1"
ISSUED_MESSAGES = """\
The share of the leadership tiers from a Black, Asian and Multi-ethnic background rose again \
in the year to 31 March 2025, but remains behind the trajectory to the 2026 target.

- Diverse interview panels are now in place for every post at MG1 and above.
- Career conversations in the People directorate are behind plan: 41 of 68 held.
- The unknown-ethnicity rate fell after the self-service data campaign.

The board is asked to note the People directorate's restructure, which went to consultation \
before its Equality Impact Assessment was signed off."""
DRAFT_MESSAGES = """\
Draft for this quarter, still open: no workforce snapshot has been loaded since \
31 March 2025, so the headline figures below say how old they are. The next extract is due \
from HR before the report is issued.

- Owners of overdue actions have been asked for an update before the board meets.
- The Standard's self-assessment for this year is being reviewed with the champions."""


def load_demo(
    organisation: Organisation,
    *,
    progress: Callable[[str], None] = lambda _text: None,
    **_options: object,  # the options every app's demo is given (employees), unused here
) -> None:
    """Only Demo Borough keeps board reports; an organisation that has some is left alone."""
    if organisation.slug != DEMO_SLUG or BoardReport.objects.filter(organisation=organisation):
        return
    officer = User.objects.filter(organisation=organisation, role=Role.EDI_OFFICER).first()
    if officer is None:
        return
    board_reports.save_key_messages(officer, organisation, ISSUED_QUARTER, ISSUED_MESSAGES)
    board_reports.issue(officer, organisation, ISSUED_QUARTER)
    current = services.quarter_of(services.today())
    board_reports.save_key_messages(officer, organisation, current, DRAFT_MESSAGES)
    progress(f"{organisation.name}: board report {ISSUED_QUARTER} issued, {current} drafted")
