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
* NHS Data Dictionary ETHNIC CATEGORY codes with their description ("A White - British",
  "C3 White Unspecified", "Z Not Stated"), as NHS ESR exports them, mapped to ONS 2021
  (`NHS_ETHNIC_CATEGORY`); bare codes ("A") only in a column of nothing but NHS codes;
* NHS ESR wordings of religion, sexual orientation and "Unspecified";
* a high-level group alone ("Asian", "Black or Black British"): the person's group is known but
  not the detailed category, so the value is that group's "(category not given)" category
  ("Asian (category not given)"), which belongs to the group in every table.

Deliberately not recognised (ambiguous; a council maps them with a value mapping): single
letters outside a column of NHS codes (NHS "A" is White British, elsewhere "A" means Asian),
bare numbers, DfE "WROM" ("Gypsy/Roma", two separate 2021 categories). For such values
`suggest` offers a value only when the value's own words or code say what it means.

Classification runs on the unique values of a column only, vectorised in polars, so a million
rows cost no more than the few dozen spellings they use (and a column of millions of distinct
values costs seconds, not a Python loop per value).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

import polars as pl

from equitable.metrics.schema import (
    CHARACTERISTIC_VALUES,
    DISABILITY_VALUES,
    ETHNIC_GROUPS,
    ETHNICITY_DETAILED,
    ETHNICITY_GROUP_ONLY,
    ETHNICITY_TO_GROUP,
    GROUP_ONLY_OF,
    NOT_KNOWN,
    PREFER_NOT_TO_SAY,
    RELIGION_VALUES,
    SEX_VALUES,
    SEXUAL_ORIENTATION_VALUES,
    UNKNOWN,
    WHITE_BRITISH_CATEGORY,
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
    "i do not wish to disclose my religion belief",
    "i do not wish to disclose my religion",
    "i do not wish to disclose my sexual orientation",
    "i do not wish to disclose my ethnic origin",
    "i do not wish to disclose my disability",
    "not stated person asked but declined to provide a response",
    "person asked but declined to provide a response",
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
    # NHS ESR and the NHS Data Dictionary (docs/data-formats.md): nothing recorded.
    "unspecified",
    "undefined",
    "not known not recorded",
    "not known person not asked",
    "person asked and does not know or is not sure",
    "not sure",
    "undecided",
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
        WHITE_BRITISH_CATEGORY: (
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
    "w1": WHITE_BRITISH_CATEGORY,
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
    "wbri": WHITE_BRITISH_CATEGORY,
    "weng": WHITE_BRITISH_CATEGORY,
    "wsco": WHITE_BRITISH_CATEGORY,
    "wwel": WHITE_BRITISH_CATEGORY,
    "wnir": WHITE_BRITISH_CATEGORY,
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


_WHITE_ONLY = GROUP_ONLY_OF["White"]
_MIXED_ONLY = GROUP_ONLY_OF["Mixed"]
_ASIAN_ONLY = GROUP_ONLY_OF["Asian"]
_BLACK_ONLY = GROUP_ONLY_OF["Black"]

# NHS Data Dictionary ETHNIC CATEGORY (2001 Census based, "16+1"): the national code is the first
# character, a second character is a local sub-category (the CareConnect-EthnicCategory-1 value
# set). code -> (ONS 2021 value, the code's own description). NHS ESR and the HR systems of
# councils with integrated health and care services export them, usually as "A White - British".
# The 2001 categories map onto 2021 imperfectly; each choice is listed in docs/data-formats.md:
# R Chinese is Asian from 2021; a local code follows its national code unless its description
# names an ONS 2021 category (C2/CA/CB/CC are "English, Welsh, Scottish, Northern Irish or
# British", CL/CM/CN Gypsy or Irish Traveller, GD White and Asian, PA/PC African); codes for an
# unspecified member of a group (C3, GF, LH, LK, PD, PE) are that group's "(category not given)".
NHS_ETHNIC_CATEGORY: dict[str, tuple[str, str]] = {
    "a": (WHITE_BRITISH_CATEGORY, "British, Mixed British"),
    "b": ("Irish", "Irish"),
    "c": ("Other White", "Any other White background"),
    "c2": (WHITE_BRITISH_CATEGORY, "Northern Irish"),
    "c3": (_WHITE_ONLY, "Other white, white unspecified"),
    "ca": (WHITE_BRITISH_CATEGORY, "English"),
    "cb": (WHITE_BRITISH_CATEGORY, "Scottish"),
    "cc": (WHITE_BRITISH_CATEGORY, "Welsh"),
    "cd": ("Other White", "Cornish"),
    "ce": ("Other White", "Cypriot (part not stated)"),
    "cf": ("Other White", "Greek"),
    "cg": ("Other White", "Greek Cypriot"),
    "ch": ("Other White", "Turkish"),
    "cj": ("Other White", "Turkish Cypriot"),
    "ck": ("Other White", "Italian"),
    "cl": ("Gypsy or Irish Traveller", "Irish Traveller"),
    "cm": ("Gypsy or Irish Traveller", "Traveller"),
    "cn": ("Gypsy or Irish Traveller", "Gypsy/Romany"),
    "cp": ("Other White", "Polish"),
    "cq": ("Other White", "All republics which made up the former USSR"),
    "cr": ("Other White", "Kosovan"),
    "cs": ("Other White", "Albanian"),
    "ct": ("Other White", "Bosnian"),
    "cu": ("Other White", "Croatian"),
    "cv": ("Other White", "Serbian"),
    "cw": ("Other White", "Other republics which made up the former Yugoslavia"),
    "cx": ("Other White", "Mixed white"),
    "cy": ("Other White", "Other white European, European unspecified, European mixed"),
    "d": ("White and Black Caribbean", "White and Black Caribbean"),
    "e": ("White and Black African", "White and Black African"),
    "f": ("White and Asian", "White and Asian"),
    "g": ("Other Mixed or Multiple ethnic groups", "Any other mixed background"),
    "ga": ("Other Mixed or Multiple ethnic groups", "Black and Asian"),
    "gb": ("Other Mixed or Multiple ethnic groups", "Black and Chinese"),
    "gc": ("Other Mixed or Multiple ethnic groups", "Black and White"),
    "gd": ("White and Asian", "Chinese and White"),
    "ge": ("Other Mixed or Multiple ethnic groups", "Asian and Chinese"),
    "gf": (_MIXED_ONLY, "Other Mixed, Mixed Unspecified"),
    "h": ("Indian", "Indian or British Indian"),
    "j": ("Pakistani", "Pakistani or British Pakistani"),
    "k": ("Bangladeshi", "Bangladeshi or British Bangladeshi"),
    "l": ("Other Asian", "Any other Asian background"),
    "la": ("Other Asian", "Mixed Asian"),
    "lb": ("Other Asian", "Punjabi"),
    "lc": ("Other Asian", "Kashmiri"),
    "ld": ("Other Asian", "East African Asian"),
    "le": ("Other Asian", "Sri Lanka"),
    "lf": ("Other Asian", "Tamil"),
    "lg": ("Other Asian", "Sinhalese"),
    "lh": (_ASIAN_ONLY, "British Asian"),
    "lj": ("Other Asian", "Caribbean Asian"),
    "lk": (_ASIAN_ONLY, "Other Asian, Asian unspecified"),
    "m": ("Caribbean", "Caribbean"),
    "n": ("African", "African"),
    "p": ("Other Black", "Any other Black background"),
    "pa": ("African", "Somali"),
    "pb": ("Other Black", "Mixed Black"),
    "pc": ("African", "Nigerian"),
    "pd": (_BLACK_ONLY, "Black British"),
    "pe": (_BLACK_ONLY, "Other Black, Black unspecified"),
    "r": ("Chinese", "Chinese"),
    "s": ("Any other ethnic group", "Any other ethnic group"),
    "sa": ("Any other ethnic group", "Vietnamese"),
    "sb": ("Any other ethnic group", "Japanese"),
    "sc": ("Any other ethnic group", "Filipino"),
    "sd": ("Any other ethnic group", "Malaysian"),
    "se": ("Any other ethnic group", "Any Other Group"),
    "z": (PREFER_NOT_TO_SAY, "Not stated"),
    "99": (NOT_KNOWN, "Not known"),
    "x": (NOT_KNOWN, "Not known"),  # Hospital Episode Statistics
}
_NHS_CODE_PREFIX = re.compile(r"^([0-9a-z]{1,2}) (.+)$")
# Words of a description that say nothing about the category ("Any other ... background").
_STOP_WORDS = frozenset(
    "a an and any background backgrounds ethnic group groups made of or other part the up "
    "which".split()
)
_GROUP_WORDS = {
    "White": ("white",),
    "Mixed": ("mixed", "multiple", "dual"),
    "Asian": ("asian",),
    "Black": ("black",),
    "Other": ("other",),
    UNKNOWN: ("not", "stated", "known", "unknown"),
}


def _group(canonical: str) -> str:
    return ETHNICITY_TO_GROUP.get(canonical, UNKNOWN)


@cache
def _nhs_keywords(code: str) -> frozenset[str]:
    """Words that, after the code, confirm it: its description's words and its group's."""
    canonical, display = NHS_ETHNIC_CATEGORY[code]
    words = set(normalise(display).split()) - _STOP_WORDS
    return frozenset(words | set(_GROUP_WORDS[_group(canonical)]))


def _nhs_code_with_description(key: str) -> str | None:
    """'a white british' -> English, Welsh, Scottish, Northern Irish or British.

    A known NHS code followed by words that agree with it: the same value, or a value of the
    same group (the more specific of the two is kept: "S Other ethnic group" is S), or words
    that are not a recognised spelling but share a word with the code's description or group
    ("LB Asian Punjabi", "SA Vietnamese"). Words that contradict the code ("A Asian") leave the
    value unplaced, for the council to map.
    """
    match = _NHS_CODE_PREFIX.match(key)
    if match is None or match.group(1) not in NHS_ETHNIC_CATEGORY:
        return None
    code, rest = match.groups()
    by_code = NHS_ETHNIC_CATEGORY[code][0]
    by_words = ethnicity_aliases().get(rest)
    if by_words is None:
        return by_code if set(rest.split()) & _nhs_keywords(code) else None
    if by_words == by_code:
        return by_code
    if _group(by_words) != _group(by_code) or _group(by_code) == UNKNOWN:
        return None
    if by_words in ETHNICITY_GROUP_ONLY:
        return by_code
    if by_code in ETHNICITY_GROUP_ONLY:
        return by_words
    return None


_NEEDS_HEADING = {"other", "any other", "british", "uk", "any other background"}


# Words after a heading that say the detailed category was not given ("White unspecified").
_GROUP_ONLY_WORDS = ("unspecified", "not specified", "category not given", "not given")


@cache
def ethnicity_aliases() -> dict[str, str]:
    """Normalised spelling -> detailed ONS name, "<group> (category not given)" when only the
    high-level group is given, or an undisclosed value. Codes that need the whole column to be
    read (a bare NHS letter) are not here; see `classify_distinct`."""
    aliases: dict[str, str] = {}
    for group, details in _DETAILS.items():
        group_only = GROUP_ONLY_OF[group]
        for heading in _GROUP_HEADINGS[group]:
            aliases[heading] = group_only  # a heading alone: group known, detail not
            for words in _GROUP_ONLY_WORDS:
                aliases[f"{heading} {words}"] = group_only
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
        aliases[normalise(group)] = GROUP_ONLY_OF[group]
    for name in (*ETHNICITY_DETAILED, *ETHNICITY_GROUP_ONLY):
        aliases[normalise(name)] = name
    aliases["other"] = GROUP_ONLY_OF["Other"]
    aliases["any other ethnic group"] = "Any other ethnic group"
    aliases["other ethnic group"] = GROUP_ONLY_OF["Other"]
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
    "heterosexual straight": "Straight or Heterosexual",
    "gay lesbian or homosexual": "Gay or Lesbian",
    "homosexual": "Gay or Lesbian",
}
_RELIGION_ALIASES = {
    "no religion": "No religion",
    "none": "No religion",
    "no religion or belief": "No religion",
    "atheist": "No religion",
    "atheism": "No religion",
    "agnosticism": "No religion",
    "humanist": "No religion",
    "humanism": "No religion",
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
    "jainism": "Other religion",
    "paganism": "Other religion",
    "rastafarianism": "Other religion",
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


# The canonical values of each categorical column (what a value mapping may point at). For
# ethnicity a short group label ("Asian") is accepted as a target too: it means the group's
# "(category not given)".
VOCABULARIES = CHARACTERISTIC_VALUES


def accepted_values(column: str) -> tuple[str, ...]:
    """The canonical values of a characteristic, as a value mapping may choose them: for
    ethnicity the 19 ONS 2021 categories, each group's "(category not given)" and the two
    undisclosed values, in table order. Only characteristics have unmapped values to offer."""
    return VOCABULARIES[column]


CATEGORY_COLUMNS = tuple(VOCABULARIES)


def _classify_key(column: str, key: str) -> str | None:
    """A normalised value on its own: a recognised spelling, or an NHS code and description."""
    found = aliases_for(column).get(key)
    if found is None and column == "ethnicity":
        found = _nhs_code_with_description(key)
    return found


def classify_value(column: str, value: str | None) -> str | None:
    """The canonical value of one cell, or None when it cannot be placed.

    A missing cell is "Not known". For ethnicity a high-level group alone ("Asian") is that
    group's "(category not given)". A bare NHS code ("A") is not placed on its own: only a
    column of such codes is read as NHS codes (`classify_distinct`).
    """
    if value is None:
        return NOT_KNOWN
    return _classify_key(column, normalise(value))


def normalise_expr(expr: pl.Expr) -> pl.Expr:
    """`normalise` as a polars expression (the same result for every value)."""
    return (
        expr.str.to_lowercase()
        .str.replace_all("&", " and ", literal=True)
        .str.replace_all("[’']", "")
        .str.replace_all("[^0-9a-z]+", " ")
        .str.strip_chars()
    )


@dataclass
class Classified:
    """The distinct values of one column, classified.

    `placed` maps raw values to canonical ones (columns `raw`, `canonical`); `unplaced` holds
    the raw values nothing recognises (sorted); `bad_targets` the raw values whose value mapping
    points at something that is not an accepted value; `notes` how the column was read.
    """

    placed: pl.DataFrame
    unplaced: pl.Series
    bad_targets: dict[str, str]
    notes: list[str] = field(default_factory=list)


NHS_CODES_NOTE = (
    "ethnicity holds NHS Data Dictionary ethnic category codes (A = White British, … Z = not "
    "stated), read as their ONS 2021 categories (docs/data-formats.md)"
)


def classify_distinct(
    column: str, distinct: pl.Series, value_mapping: Mapping[str, str] | None = None
) -> Classified:
    """Classify the distinct values of a column, vectorised (any number of distinct values).

    A council's own value mapping (raw spelling -> canonical value or any recognised variant)
    is consulted first, by normalised spelling; then the recognised spellings; then, for
    ethnicity, an NHS code followed by its description. Bare NHS codes ("A", "C3", "Z") are
    read as NHS codes only when every value of the column is one (or an NHS code with its
    description, or an undisclosed answer): a single letter means other things elsewhere
    ("A" for Asian), and a column of NHS codes has no value that is not one.
    """
    values = distinct.cast(pl.String).drop_nulls().unique(maintain_order=True)
    mapping = {normalise(k): v for k, v in (value_mapping or {}).items()}
    good = {  # an empty target is not "Not known": it is a mapping not filled in
        key: classify_value(column, target) if str(target or "").strip() else None
        for key, target in mapping.items()
    }
    bad_keys = {key: mapping[key] for key, target in good.items() if target is None}
    good = {key: target for key, target in good.items() if target is not None}
    aliases = aliases_for(column)
    frame = pl.DataFrame({"raw": values}).with_columns(normalise_expr(pl.col("raw")).alias("key"))
    key = pl.col("key")
    frame = frame.with_columns(
        key.is_in(list(bad_keys)).alias("bad"),
        pl.coalesce(
            key.replace_strict(
                list(good), list(good.values()), default=None, return_dtype=pl.String
            ),
            key.replace_strict(
                list(aliases), list(aliases.values()), default=None, return_dtype=pl.String
            ),
        ).alias("canonical"),
    )
    notes: list[str] = []
    if column == "ethnicity":
        frame, notes = _place_nhs_codes(frame)
    bad = frame.filter(pl.col("bad"))
    bad_targets = {raw: bad_keys[k] for raw, k in bad.select("raw", "key").iter_rows()}
    kept = frame.filter(~pl.col("bad"))
    return Classified(
        placed=kept.filter(pl.col("canonical").is_not_null()).select("raw", "canonical"),
        unplaced=kept.filter(pl.col("canonical").is_null()).get_column("raw").sort(),
        bad_targets=bad_targets,
        notes=notes,
    )


def _place_nhs_codes(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Fill in NHS codes with a description, then bare codes when the column is all codes."""
    code = pl.col("key").str.extract(r"^([0-9a-z]{1,2}) ", 1)
    candidates = frame.filter(
        pl.col("canonical").is_null() & ~pl.col("bad") & code.is_in(list(NHS_ETHNIC_CATEGORY))
    ).get_column("key")
    if candidates.len():
        found = {k: _nhs_code_with_description(k) for k in candidates.unique().to_list()}
        found = {k: v for k, v in found.items() if v is not None}
        frame = frame.with_columns(
            pl.coalesce(
                pl.col("canonical"),
                pl.col("key").replace_strict(
                    list(found), list(found.values()), default=None, return_dtype=pl.String
                ),
            ).alias("canonical")
        )
    bare = pl.col("key").is_in(list(NHS_ETHNIC_CATEGORY))
    described = (
        code.is_in(list(NHS_ETHNIC_CATEGORY)) & pl.col("canonical").is_not_null()
    ).fill_null(False)
    undisclosed = pl.col("canonical").is_in([PREFER_NOT_TO_SAY, NOT_KNOWN]).fill_null(False)
    counts = frame.filter(~pl.col("bad")).select(
        (bare & pl.col("canonical").is_null()).sum().alias("bare"),
        (~(bare | described | undisclosed)).sum().alias("other"),
    )
    n_bare, n_other = counts.row(0)
    if not n_bare or n_other:
        return frame, []
    codes = {c: value for c, (value, _) in NHS_ETHNIC_CATEGORY.items()}
    frame = frame.with_columns(
        pl.coalesce(
            pl.col("canonical"),
            pl.col("key").replace_strict(
                list(codes), list(codes.values()), default=None, return_dtype=pl.String
            ),
        ).alias("canonical")
    )
    return frame, [NHS_CODES_NOTE]


def classify_unique(
    column: str, values: Iterable[str | None], value_mapping: Mapping[str, str] | None = None
) -> tuple[dict[str, str], list[str], dict[str, str]]:
    """Classify distinct raw values: ({raw: canonical}, [unplaceable raw], {raw: bad target}).

    A council's own value mapping (raw spelling -> canonical value or any recognised variant)
    is consulted first, by normalised spelling.
    """
    result = classify_distinct(column, pl.Series(list(values), dtype=pl.String), value_mapping)
    placed = dict(result.placed.iter_rows())
    return placed, result.unplaced.to_list(), result.bad_targets


def classify_series(
    column: str, values: pl.Series, value_mapping: Mapping[str, str] | None = None
) -> pl.Series:
    """Canonical value per row (null for an unplaceable value; a null cell is "Not known")."""
    placed = classify_distinct(column, values.unique(), value_mapping).placed
    value = pl.col("value")
    canonical = value.replace_strict(
        placed["raw"], placed["canonical"], default=None, return_dtype=pl.String
    )
    frame = pl.DataFrame({"value": values.cast(pl.String)})
    result = frame.select(pl.when(value.is_null()).then(pl.lit(NOT_KNOWN)).otherwise(canonical))
    return result.to_series().rename(values.name)


def classify_ethnicity(values: pl.Series) -> pl.Series:
    """Canonical ethnicity per row: a detailed ONS name, a group's "(category not given)",
    "Prefer not to say", "Not known", or null when the value cannot be placed."""
    return classify_series("ethnicity", values)


# --- suggestions for values that could not be placed ------------------------------------------

_LONGEST_PHRASE = 8  # words


@dataclass(frozen=True)
class Suggestion:
    """What an unplaced value most likely means, and why; `value` None = no good suggestion."""

    value: str | None
    reason: str


def suggest(column: str, raw: str) -> Suggestion:
    """A value an unplaced one means, found by meaning only, never by guesswork.

    Candidates: a known NHS code at the start of an ethnicity ("H Asian" -> Indian), and the
    longest recognised spellings inside the value ("Not stated (person asked but declined…)"
    holds "not stated": Prefer not to say). When the candidates disagree, or there are none,
    there is no good suggestion: the person must choose (for sex, "Prefer not to say" or "Not
    known" if the value is neither Female nor Male).
    """
    key = normalise(raw)
    words = key.split()
    aliases = aliases_for(column)
    found: dict[str, str] = {}  # canonical -> reason
    if column == "ethnicity" and words and words[0] in NHS_ETHNIC_CATEGORY:
        meaning = NHS_ETHNIC_CATEGORY[words[0]][0]
        if len(words) == 1:  # "H" alone: an NHS code, or a letter of some other list
            return Suggestion(None, f"if it is the NHS code {key.upper()}, it means “{meaning}”")
        found[meaning] = f"it starts with the NHS code {words[0].upper()}"
    best = 0
    phrases: dict[str, str] = {}
    for length in range(min(len(words), _LONGEST_PHRASE), 0, -1):
        for start in range(len(words) - length + 1):
            phrase = " ".join(words[start : start + length])
            if len(phrase) < 3 or (column == "ethnicity" and phrase in _NEEDS_HEADING):
                continue
            canonical = aliases.get(phrase)
            if canonical is not None:
                phrases.setdefault(canonical, f"it contains “{phrase}”")
        if phrases:
            best = length
            break
    if best:
        for canonical, reason in phrases.items():
            found.setdefault(canonical, reason)
    if column == "ethnicity" and len(found) > 1:
        found = _most_specific(found)
    if len(found) == 1:
        value, reason = next(iter(found.items()))
        return Suggestion(value, reason)
    if found:
        return Suggestion(None, "its words point to more than one value")
    return Suggestion(None, "nothing in it matches an accepted value")


def _most_specific(found: dict[str, str]) -> dict[str, str]:
    """Candidates of one ethnic group: drop the group's "(category not given)"."""
    groups = {_group(value) for value in found}
    if len(groups) != 1:
        return found
    specific = {v: r for v, r in found.items() if v not in ETHNICITY_GROUP_ONLY}
    return specific or found
