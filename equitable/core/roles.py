"""The roles people hold, and which capabilities each role carries.

Why one module: every view, API endpoint and test reads the same sets, so a change of policy
("may board members download tables?") is made once.
"""

from __future__ import annotations

from django.db import models


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", "Organisation admin"
    EDI_OFFICER = "edi_officer", "EDI officer"
    HR_ANALYST = "hr_analyst", "HR analyst"
    CHAMPION = "champion", "Directorate champion"
    BOARD_MEMBER = "board_member", "Board member"
    COORDINATOR = "coordinator", "London-wide coordinator"


ALL_ORG_ROLES = frozenset(
    {Role.ORG_ADMIN, Role.EDI_OFFICER, Role.HR_ANALYST, Role.CHAMPION, Role.BOARD_MEMBER}
)
ALL_ROLES = ALL_ORG_ROLES | {Role.COORDINATOR}

# Personal-level data and exact small counts: nobody else.
PERSONAL_DATA_ROLES = frozenset({Role.EDI_OFFICER, Role.HR_ANALYST})
# Load workforce extracts.
IMPORT_ROLES = frozenset({Role.EDI_OFFICER, Role.HR_ANALYST})
# Run the programme: plans, assessments, publication.
PROGRAMME_ROLES = frozenset({Role.EDI_OFFICER, Role.ORG_ADMIN})
# Read protected dashboards and reports (suppressed figures).
DASHBOARD_ROLES = frozenset(
    {Role.ORG_ADMIN, Role.EDI_OFFICER, Role.HR_ANALYST, Role.CHAMPION, Role.BOARD_MEMBER}
)
# Read and handle anonymous incident reports.
CASE_HANDLER_ROLES = frozenset({Role.EDI_OFFICER})
# Read the protected incident trends: on /incidents/trends/ and in the board report alike.
INCIDENT_TREND_ROLES = CASE_HANDLER_ROLES | {Role.BOARD_MEMBER}
# Manage the organisation: users, settings, audit log.
ADMIN_ROLES = frozenset({Role.ORG_ADMIN})
