"""Shared helpers for the Standard app's tests."""

from __future__ import annotations

from equitable.standard import library as lib

WORKED_EXAMPLE = {
    "1.1": "established",
    "1.2": "developing",
    "1.3": "established",
    "1.4": "established",
    "1.5": "established",
    "1.6": "leading",
    "1.7": "none",
    "1.8": "leading",
}


def category_post(category_id: str, levels: dict[str, str], **extra: str) -> dict[str, str]:
    """The POST a browser sends for one category page: every criterion, levels as given."""
    category = lib.get_standard().category(category_id)
    data = {}
    for criterion in category.criteria:
        data[f"level-{criterion.id}"] = levels.get(criterion.id, "none")
        for field in ("notes", "links", "owner", "next"):
            data[f"{field}-{criterion.id}"] = ""
    data.update(extra)
    return data
