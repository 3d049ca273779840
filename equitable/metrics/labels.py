"""Fixed vocabularies the figures are reported in.

The figures module keeps its own copy of the labels (rather than importing the ingestion
classifier) so that it depends only on the validated frame's contract: ONS 2021 Census detailed
names in `ethnicity`, the five short group labels plus "Unknown" in `ethnic_group`.
Source: ONS ethnic group classification 2021 (19 tick boxes, 5 high-level groups),
https://cy.ons.gov.uk/datasets/TS021/editions/2021/versions/2
"""

from __future__ import annotations

PREFER_NOT_TO_SAY = "Prefer not to say"
NOT_KNOWN = "Not known"
UNDISCLOSED = (PREFER_NOT_TO_SAY, NOT_KNOWN)

# The five ONS high-level groups in their short form, then the non-disclosure bucket.
ETHNIC_GROUPS = ("Asian", "Black", "Mixed", "White", "Other")
UNKNOWN_GROUP = "Unknown"
ETHNIC_GROUP_VALUES = (*ETHNIC_GROUPS, UNKNOWN_GROUP)

# "Black, Asian and Multi-ethnic": every known group except White (the seeds' own wording).
AGGREGATE_LABEL = "Black, Asian and Multi-ethnic"
WHITE = "White"
WHITE_BRITISH = "White British"
WHITE_OTHER_THAN_BRITISH = "White other than British"
ALL_ETHNIC_MINORITIES = "All ethnic minorities"

# The 19 detailed categories in ONS code order, each with its short high-level group.
DETAILED_ETHNICITIES: tuple[tuple[str, str], ...] = (
    ("Bangladeshi", "Asian"),
    ("Chinese", "Asian"),
    ("Indian", "Asian"),
    ("Pakistani", "Asian"),
    ("Other Asian", "Asian"),
    ("African", "Black"),
    ("Caribbean", "Black"),
    ("Other Black", "Black"),
    ("White and Asian", "Mixed"),
    ("White and Black African", "Mixed"),
    ("White and Black Caribbean", "Mixed"),
    ("Other Mixed or Multiple ethnic groups", "Mixed"),
    ("English, Welsh, Scottish, Northern Irish or British", "White"),
    ("Irish", "White"),
    ("Gypsy or Irish Traveller", "White"),
    ("Roma", "White"),
    ("Other White", "White"),
    ("Arab", "Other"),
    ("Any other ethnic group", "Other"),
)
# A high-level group given without its detailed category ("Asian", NHS code "C3 White
# Unspecified"): one more detailed category per group, so that the people of a group are in
# that group in every table and the detailed categories of a group add up to the group.
GROUP_ONLY_SUFFIX = " (category not given)"
GROUP_ONLY_ETHNICITIES: tuple[tuple[str, str], ...] = tuple(
    (f"{group}{GROUP_ONLY_SUFFIX}", group) for group in ETHNIC_GROUPS
)
# Every value of the detailed `ethnicity` column, in table order: each group's ONS 2021
# categories in ONS order followed by its "(category not given)", then the two undisclosed.
ETHNICITY_VALUES = (
    *(
        name
        for group in ETHNIC_GROUPS
        for name, of in (*DETAILED_ETHNICITIES, *GROUP_ONLY_ETHNICITIES)
        if of == group
    ),
    *UNDISCLOSED,
)
ETHNICITY_TO_GROUP = {
    **dict(DETAILED_ETHNICITIES),
    **dict(GROUP_ONLY_ETHNICITIES),
    PREFER_NOT_TO_SAY: UNKNOWN_GROUP,
    NOT_KNOWN: UNKNOWN_GROUP,
}

SEX_VALUES = ("Female", "Male", *UNDISCLOSED)
DISABILITY_VALUES = ("Disabled", "Not disabled", *UNDISCLOSED)

QUARTILES = ("Lower", "Lower middle", "Upper middle", "Upper")

# Label for a row whose dimension (directorate, pay band...) was blank in the extract.
NOT_RECORDED = "Not recorded"
