"""Sample URL parameters for the core app's views (see tests/matrix_support.py)."""

NOT_OBJECT_SCOPED = {"core:brand-css"}
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    return {"core:brand-css": {"slug": org.slug}}
