"""The words the figures are reported in: group labels and the order of every table's rows.

The values themselves (the 19 ONS 2021 categories, the five groups, the undisclosed answers)
have one home, the validated frame's contract in `metrics.schema`; this module names the groups
and labels the tables add to them (the aggregate, White British as a comparison group) and
gives the contract's values in the shapes the figures read.
Source: ONS ethnic group classification 2021 (19 tick boxes, 5 high-level groups),
https://cy.ons.gov.uk/datasets/TS021/editions/2021/versions/2
"""

from __future__ import annotations

from equitable.metrics import schema

PREFER_NOT_TO_SAY = schema.PREFER_NOT_TO_SAY
NOT_KNOWN = schema.NOT_KNOWN
UNDISCLOSED = schema.UNDISCLOSED

# The five ONS high-level groups in their short form, then the non-disclosure bucket.
ETHNIC_GROUPS = schema.ETHNIC_GROUPS
UNKNOWN_GROUP = schema.UNKNOWN
ETHNIC_GROUP_VALUES = (*ETHNIC_GROUPS, UNKNOWN_GROUP)

# "Black, Asian and Multi-ethnic": every known group except White (the seeds' own wording).
AGGREGATE_LABEL = schema.AGGREGATE_MINORITY
WHITE = "White"
# The label of the people of the ONS category `schema.WHITE_BRITISH_CATEGORY` ("English, Welsh,
# Scottish, Northern Irish or British") where a table compares them as a group.
WHITE_BRITISH = "White British"
WHITE_OTHER_THAN_BRITISH = "White other than British"
ALL_ETHNIC_MINORITIES = "All ethnic minorities"

# The 19 detailed categories in ONS code order, each with its short high-level group.
DETAILED_ETHNICITIES: tuple[tuple[str, str], ...] = tuple(schema.ETHNICITY_DETAILED.items())
# A high-level group given without its detailed category ("Asian", NHS code "C3 White
# Unspecified"): one more detailed category per group, so that the people of a group are in
# that group in every table and the detailed categories of a group add up to the group.
GROUP_ONLY_SUFFIX = schema.GROUP_ONLY_SUFFIX
GROUP_ONLY_ETHNICITIES: tuple[tuple[str, str], ...] = tuple(schema.ETHNICITY_GROUP_ONLY.items())
# Every value of the detailed `ethnicity` column, in table order: each group's ONS 2021
# categories in ONS order followed by its "(category not given)", then the two undisclosed.
ETHNICITY_VALUES = schema.ETHNICITY_VALUES
ETHNICITY_TO_GROUP = schema.ETHNICITY_TO_GROUP

SEX_VALUES = schema.SEX_VALUES
DISABILITY_VALUES = schema.DISABILITY_VALUES

QUARTILES = ("Lower", "Lower middle", "Upper middle", "Upper")

# Label for a row whose dimension (directorate, pay band...) was blank in the extract.
NOT_RECORDED = "Not recorded"
