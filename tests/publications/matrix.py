"""Sample URL parameters for the publications views (see tests/matrix_support.py)."""

from tests.publications.factories import stored_publication

# The public site's pages are named by the organisation's slug and open to everyone.
NOT_OBJECT_SCOPED = {
    "published:organisation",
    "published:publication",
    "published:pdf",
    "published:file",
}
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    from equitable.publications.models import Publication

    draft = stored_publication(org, status=Publication.Status.DRAFT)
    public = stored_publication(org, status=Publication.Status.PUBLISHED)
    pk = {"pk": draft.pk}
    published = {"slug": org.slug, "pk": public.pk}
    return {
        "publications:detail": pk,
        "publications:edit": pk,
        "publications:preview": {"pk": public.pk},  # a published one redirects to the site
        "publications:approve": pk,
        "publications:return": pk,
        "publications:publish": pk,
        "publications:withdraw": {"pk": public.pk},
        "publications:correct": {"pk": public.pk},
        "published:organisation": {"slug": org.slug},
        "published:publication": published,
        "published:pdf": published,
        "published:file": {**published, "name": "pay_gap_sex.csv"},
    }
