"""Sample URL parameters for the core app's views (see tests/matrix_support.py)."""

NOT_OBJECT_SCOPED = {"core:brand-css"}
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    from equitable.core.models import ApiToken, User

    owner = User.objects.filter(organisation=org).order_by("pk").first()
    token, _ = ApiToken.issue(owner, "matrix")
    return {"core:brand-css": {"slug": org.slug}, "core:api-token-revoke": {"pk": token.pk}}
