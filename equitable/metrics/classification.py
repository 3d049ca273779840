"""Recognise the many ways HR systems write ethnicity, sex, disability, sexual orientation and
religion, and turn each into its canonical value (see `equitable.metrics.schema`).

Matching ignores case, spacing and punctuation ("Asian or Asian British - Indian",
"asian/asian british: indian" and "ASIAN OR ASIAN BRITISH INDIAN" are the same). Recognised:

* ONS 2021 Census names, with or without their high-level heading ("White: Irish");
* 2011 and 2001 Census wording ("Any other White background", "Black or Black British -
  Caribbean", "Other Ethnic Groups - Chinese", "Mixed - White and Asian");
* short codes: the Home Office self-defined ethnicity codes (18+1: W1 British, W2 Irish,
  W3 Gypsy or Irish Traveller, W9, M1 White and Black Caribbean, M2 White and Black African,
  M3 White and Asian, M9, A1 Indian, A2 Pakistani, A3 Bangladeshi, A4 Chinese, A9, B1 Caribbean,
  B2 African, B9, O2 Arab, O9, NS not stated; and O1 Chinese from the older 16+1 list) and the
  Department for Education school census codes (WBRI, WIRI, WIRT, WOTH, MWBC, MWBA, MWAS, MOTH,
  AIND, APKN, ABAN, AOTH, BCRB, BAFR, BOTH, CHNE, OOTH, REFU, NOBT);
* a high-level group alone ("Asian", "Black or Black British"): the person's group is known but
  not the detailed category, so `classify_ethnicity` returns the short group label.

Deliberately not recognised (ambiguous; a council maps them with a value mapping): single
letters (NHS "A" is White British, elsewhere "A" means Asian), bare numbers, DfE "WROM"
("Gypsy/Roma", two separate 2021 categories).

Classification runs on the unique values of a column only, so a million rows cost no more
than the few dozen spellings they use.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

import polars as pl

from equitable.metrics.schema import (
    DISABILITY_VALUES,
    ETHNIC_GROUPS,
    ETHNICITY_DETAILED,
    NOT_KNOWN,
    PREFER_NOT_TO_SAY,
    RELIGION_VALUES,
    SEX_VALUES,
    SEXUAL_ORIENTATION_VALUES,
    WHITE_BRITISH,
)

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalise(value: str) -> str:
    """Lower case, '&' read as 'and', every run of other punctuation or space as one space."""
    text = value.lower().replace("&", " and ").replace("’", "'").replace("'", "")
    return _NON_ALNUM.sub(" ", text).strip()


# --- shared answers for "declined" and "not known" --------------------------------------------

_PREFER_NOT_TO_SAY_ALIASES = (
    "prefer not to say",
    "prefer not say",
    "prefer not to disclose",
    "prefer not to answer",
    "rather not say",
    "do not wish to declare",
    "dont wish to declare",
    "do not wish to disclose",
    "not disclosed by choice",
    "declined",
    "declined to say",
    "refused",
    "not stated",
    "information refused",
    "i do not wish to disclose",
    "i do not wish to declare",
    "i prefer not to say",
    "i would prefer not to say",
    "do not wish to say",
    "prefer not to state",
    "pnts",
    "ns",
    "refu",
)
_NOT_KNOWN_ALIASES = (
    "",
    "not known",
    "unknown",
    "not recorded",
    "not declared",
    "undeclared",
    "not provided",
    "not specified",
    "not given",
    "not answered",
    "no response",
    "not available",
    "na",
    "n a",
    "null",
    "blank",
    "missing",
    "nobt",
    "information not yet obtained",
    "not obtained",
)


def _undisclosed_aliases() -> dict[str, str]:
    aliases = {alias: PREFER_NOT_TO_SAY for alias in _PREFER_NOT_TO_SAY_ALIASES}
    aliases.update({alias: NOT_KNOWN for alias in _NOT_KNOWN_ALIASES})
    return aliases


# --- ethnicity --------------------------------------------------------------------------------

# The headings HR systems put before a detailed category, per high-level group.
_GROUP_HEADINGS: dict[str, tuple[str, ...]] = {
    "Asian": (
        "asian",
        "asian british",
        "asian or asian british",
        "asian asian british",
        "asian asian british or asian welsh",
        "asian asian british asian welsh",
        "asian or asian british or asian welsh",
        "british asian",
    ),
    "Black": (
        "black",
        "black british",
        "black or black british",
        "black african caribbean or black british",
        "black african caribbean black british",
        "black black british caribbean or african",
        "black black british black welsh caribbean or african",
        "black or african or caribbean or black british",
        "black british black welsh caribbean or african",
    ),
    "Mixed": (
        "mixed",
        "mixed multiple",
        "mixed or multiple",
        "mixed multiple ethnic groups",
        "mixed or multiple ethnic groups",
        "mixed multiple ethnic group",
        "mixed ethnic groups",
        "mixed ethnic group",
        "dual heritage",
        "mixed race",
        "mixed heritage",
        "multiple ethnic groups",
        "multi ethnic",
        "multi heritage",
        "multiple heritage",
    ),
    "White": ("white",),
    "Other": (
        "other",
        "other ethnic group",
        "other ethnic groups",
        "other ethnic",
        "chinese or other ethnic group",
        "any other ethnic group",
        "other ethnic background",
    ),
}

# Detailed categories by the words that follow (or replace) the heading.
_DETAILS: dict[str, dict[str, tuple[str, ...]]] = {
    "Asian": {
        "Bangladeshi": ("bangladeshi",),
        "Chinese": ("chinese",),
        "Indian": ("indian",),
        "Pakistani": ("pakistani",),
        "Other Asian": (
            "other asian",
            "any other asian",
            "any other asian background",
            "other asian background",
            "asian other",
            "other",
            "any other",
        ),
    },
    "Black": {
        "African": ("african", "black african"),
        "Caribbean": ("caribbean", "black caribbean"),
        "Other Black": (
            "other black",
            "any other black",
            "any other black background",
            "other black background",
            "any other black african or caribbean background",
            "any other black black british or caribbean background",
            "any other black african caribbean background",
            "black other",
            "other",
            "any other",
        ),
    },
    "Mixed": {
        "White and Asian": ("white and asian",),
        "White and Black African": ("white and black african",),
        "White and Black Caribbean": ("white and black caribbean",),
        "Other Mixed or Multiple ethnic groups": (
            "other mixed or multiple ethnic groups",
            "other mixed",
            "any other mixed",
            "any other mixed background",
            "any other mixed multiple ethnic background",
            "any other mixed or multiple ethnic background",
            "any other multiple ethnic background",
            "other mixed background",
            "other mixed multiple ethnic groups",
            "any other mixed or multiple background",
            "mixed other",
            "other",
            "any other",
        ),
    },
    "White": {
        WHITE_BRITISH: (
            "english welsh scottish northern irish or british",
            "english welsh scottish northern irish british",
            "british",
            "white british",
            "english",
            "welsh",
            "scottish",
            "northern irish",
            "english welsh scottish or northern irish",
            "uk",
        ),
        "Irish": ("irish", "white irish"),
        "Gypsy or Irish Traveller": (
            "gypsy or irish traveller",
            "gypsy irish traveller",
            "irish traveller",
            "gypsy or traveller",
            "gypsy traveller",
            "traveller of irish heritage",
            "gypsy",
            "traveller",
        ),
        "Roma": ("roma",),
        "Other White": (
            "other white",
            "any other white",
            "any other white background",
            "other white background",
            "white other",
            "other",
            "any other",
        ),
    },
    "Other": {
        "Arab": ("arab",),
        "Chinese": ("chinese",),  # 2001 wording: "Other Ethnic Groups - Chinese"
        "Any other ethnic group": (
            "any other ethnic group",
            "other ethnic group",
            "any other",
            "other",
            "any other ethnic background",
            "other ethnic background",
            "any other background",
        ),
    },
}

_ETHNICITY_CODES: dict[str, str] = {
    # Home Office self-defined ethnicity, 18+1 (O1 from the older 16+1 list).
    "w1": WHITE_BRITISH,
    "w2": "Irish",
    "w3": "Gypsy or Irish Traveller",
    "w9": "Other White",
    "m1": "White and Black Caribbean",
    "m2": "White and Black African",
    "m3": "White and Asian",
    "m9": "Other Mixed or Multiple ethnic groups",
    "a1": "Indian",
    "a2": "Pakistani",
    "a3": "Bangladeshi",
    "a4": "Chinese",
    "a9": "Other Asian",
    "b1": "Caribbean",
    "b2": "African",
    "b9": "Other Black",
    "o1": "Chinese",
    "o2": "Arab",
    "o9": "Any other ethnic group",
    # Department for Education school census (main codes and the common extended ones).
    "wbri": WHITE_BRITISH,
    "weng": WHITE_BRITISH,
    "wsco": WHITE_BRITISH,
    "wwel": WHITE_BRITISH,
    "wnir": WHITE_BRITISH,
    "wiri": "Irish",
    "wirt": "Gypsy or Irish Traveller",
    "woth": "Other White",
    "mwbc": "White and Black Caribbean",
    "mwba": "White and Black African",
    "mwas": "White and Asian",
    "moth": "Other Mixed or Multiple ethnic groups",
    "aind": "Indian",
    "apkn": "Pakistani",
    "aban": "Bangladeshi",
    "aoth": "Other Asian",
    "bcrb": "Caribbean",
    "bafr": "African",
    "both": "Other Black",
    "chne": "Chinese",
    "oara": "Arab",
    "ooth": "Any other ethnic group",
}


_NEEDS_HEADING = {"other", "any other", "british", "uk", "any other background"}


@cache
def ethnicity_aliases() -> dict[str, str]:
    """Normalised spelling -> detailed ONS name, undisclosed value or short group label."""
    aliases: dict[str, str] = {}
    for group, details in _DETAILS.items():
        for heading in _GROUP_HEADINGS[group]:
            aliases[heading] = group  # a heading alone: group known, detail not
        for name, spellings in details.items():
            for spelling in (normalise(name), *spellings):
                for heading in _GROUP_HEADINGS[group]:
                    aliases.setdefault(f"{heading} {spelling}", name)
                    aliases.setdefault(f"{spelling} {heading}", name)
    # Bare detailed words, except those that need their heading ("British" may be Black British).
    for details in _DETAILS.values():
        for name, spellings in details.items():
            for spelling in (normalise(name), *spellings):
                if spelling not in _NEEDS_HEADING:
                    aliases[spelling] = name
    for group in ETHNIC_GROUPS:
        aliases[normalise(group)] = group
    for name in ETHNICITY_DETAILED:
        aliases[normalise(name)] = name
    aliases["other"] = "Other"
    aliases["any other ethnic group"] = "Any other ethnic group"
    aliases["other ethnic group"] = "Other"
    aliases["white other"] = "Other White"
    aliases.update(_ETHNICITY_CODES)
    aliases.update(_undisclosed_aliases())
    return aliases


# --- other characteristics --------------------------------------------------------------------

_SEX_ALIASES = {
    "f": "Female",
    "female": "Female",
    "woman": "Female",
    "women": "Female",
    "girl": "Female",
    "m": "Male",
    "male": "Male",
    "man": "Male",
    "men": "Male",
}
_DISABILITY_ALIASES = {
    "disabled": "Disabled",
    "yes": "Disabled",
    "y": "Disabled",
    "true": "Disabled",
    "yes disabled": "Disabled",
    "has a disability": "Disabled",
    "disability": "Disabled",
    "yes i consider myself to have a disability": "Disabled",
    "not disabled": "Not disabled",
    "no": "Not disabled",
    "n": "Not disabled",
    "false": "Not disabled",
    "non disabled": "Not disabled",
    "no disability": "Not disabled",
    "does not have a disability": "Not disabled",
    "none": "Not disabled",
    "no i do not consider myself to have a disability": "Not disabled",
}
_SEXUAL_ORIENTATION_ALIASES = {
    "straight or heterosexual": "Straight or Heterosexual",
    "heterosexual": "Straight or Heterosexual",
    "straight": "Straight or Heterosexual",
    "heterosexual or straight": "Straight or Heterosexual",
    "straight heterosexual": "Straight or Heterosexual",
    "gay or lesbian": "Gay or Lesbian",
    "gay": "Gay or Lesbian",
    "lesbian": "Gay or Lesbian",
    "gay man": "Gay or Lesbian",
    "gay woman": "Gay or Lesbian",
    "gay woman lesbian": "Gay or Lesbian",
    "lesbian or gay": "Gay or Lesbian",
    "gay lesbian": "Gay or Lesbian",
    "bisexual": "Bisexual",
    "bi": "Bisexual",
    "other sexual orientation": "Other sexual orientation",
    "other": "Other sexual orientation",
    "all other sexual orientations": "Other sexual orientation",
    "pansexual": "Other sexual orientation",
    "asexual": "Other sexual orientation",
    "queer": "Other sexual orientation",
    "other sexual orientation not listed": "Other sexual orientation",
    "any other sexual orientation": "Other sexual orientation",
}
_RELIGION_ALIASES = {
    "no religion": "No religion",
    "none": "No religion",
    "no religion or belief": "No religion",
    "atheist": "No religion",
    "agnostic": "No religion",
    "no belief": "No religion",
    "christian": "Christian",
    "christianity": "Christian",
    "church of england": "Christian",
    "catholic": "Christian",
    "roman catholic": "Christian",
    "protestant": "Christian",
    "methodist": "Christian",
    "baptist": "Christian",
    "church of scotland": "Christian",
    "orthodox christian": "Christian",
    "pentecostal": "Christian",
    "anglican": "Christian",
    "buddhist": "Buddhist",
    "buddhism": "Buddhist",
    "hindu": "Hindu",
    "hinduism": "Hindu",
    "jewish": "Jewish",
    "judaism": "Jewish",
    "jew": "Jewish",
    "muslim": "Muslim",
    "islam": "Muslim",
    "sikh": "Sikh",
    "sikhism": "Sikh",
    "other religion": "Other religion",
    "any other religion": "Other religion",
    "other": "Other religion",
    "any other religion or belief": "Other religion",
    "other religion or belief": "Other religion",
    "jain": "Other religion",
    "rastafarian": "Other religion",
    "pagan": "Other religion",
    "zoroastrian": "Other religion",
    "bahai": "Other religion",
    "spiritualist": "Other religion",
}


def _with_undisclosed(aliases: Mapping[str, str], values: Iterable[str]) -> dict[str, str]:
    table = _undisclosed_aliases()
    table.update({normalise(value): value for value in values})
    table.update(aliases)
    return table


@cache
def aliases_for(column: str) -> dict[str, str]:
    """Normalised spelling -> canonical value, for one categorical column."""
    if column == "ethnicity":
        return ethnicity_aliases()
    tables = {
        "sex": (_SEX_ALIASES, SEX_VALUES),
        "disability": (_DISABILITY_ALIASES, DISABILITY_VALUES),
        "sexual_orientation": (_SEXUAL_ORIENTATION_ALIASES, SEXUAL_ORIENTATION_VALUES),
        "religion": (_RELIGION_ALIASES, RELIGION_VALUES),
    }
    aliases, values = tables[column]
    return _with_undisclosed(aliases, values)


# The canonical values of each categorical column (what a value mapping may point at).
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "ethnicity": (*ETHNICITY_DETAILED, *ETHNIC_GROUPS, PREFER_NOT_TO_SAY, NOT_KNOWN),
    "sex": SEX_VALUES,
    "disability": DISABILITY_VALUES,
    "sexual_orientation": SEXUAL_ORIENTATION_VALUES,
    "religion": RELIGION_VALUES,
}
CATEGORY_COLUMNS = tuple(VOCABULARIES)


def classify_value(column: str, value: str | None) -> str | None:
    """The canonical value of one cell, or None when it cannot be placed.

    A missing cell is "Not known". For ethnicity the answer may be a short group label
    ("Asian") when only the high-level group is given.
    """
    if value is None:
        return NOT_KNOWN
    return aliases_for(column).get(normalise(value))


def classify_unique(
    column: str, values: Iterable[str | None], value_mapping: Mapping[str, str] | None = None
) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """Classify distinct raw values: ({raw: canonical}, [unplaceable raw], {raw: bad target}).

    A council's own value mapping (raw spelling -> canonical value or any recognised variant)
    is consulted first, by normalised spelling.
    """
    mapping = {normalise(k): v for k, v in (value_mapping or {}).items()}
    placed: dict[str, str] = {}
    unplaced: list[str] = []
    bad_targets: dict[str, str] = {}
    for value in values:
        if value is None:
            continue
        key = normalise(value)
        if key in mapping:
            target = classify_value(column, mapping[key])
            if target is None:
                bad_targets[value] = mapping[key]
                continue
        else:
            target = aliases_for(column).get(key)
        if target is None:
            unplaced.append(value)
        else:
            placed[value] = target
    return placed, sorted(unplaced), bad_targets


def classify_series(
    column: str, values: pl.Series, value_mapping: Mapping[str, str] | None = None
) -> pl.Series:
    """Canonical value per row (null for an unplaceable value; a null cell is "Not known")."""
    placed, _, _ = classify_unique(column, values.unique().to_list(), value_mapping)
    keys = list(placed)
    value = pl.col("value")
    canonical = value.replace_strict(
        keys, [placed[k] for k in keys], default=None, return_dtype=pl.String
    )
    frame = pl.DataFrame({"value": values.cast(pl.String)})
    result = frame.select(pl.when(value.is_null()).then(pl.lit(NOT_KNOWN)).otherwise(canonical))
    return result.to_series().rename(values.name)


def classify_ethnicity(values: pl.Series) -> pl.Series:
    """Canonical ethnicity per row: a detailed ONS name, "Prefer not to say", "Not known", a
    short group label when only the group is given, or null when the value cannot be placed."""
    return classify_series("ethnicity", values)
