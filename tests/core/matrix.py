"""Sample URL parameters for the core app's views (see tests/matrix_support.py)."""

NOT_OBJECT_SCOPED = {
    "core:brand-css",
    "core:logo",
    "core:password-reset",
    "core:help-section",
    "core:help-doc",
}
SKIP: dict[str, str] = {
    "core:sso-start": "404 unless single sign-on is set up: tests/sso drives it end to end",
    "core:sso-callback": "404 unless single sign-on is set up: tests/sso drives it end to end",
    "core:document": "only the person who asked sees it (404 for anyone else, of any role): "
    "tests/core/test_documents.py",
    "core:document-download": "only the person who asked has it: tests/core/test_documents.py",
}

# A 1×1 PNG, so the public logo URL has something to serve.
_PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def samples(org) -> dict[str, dict]:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from equitable.core.models import ApiToken, OrganisationLogo, User
    from equitable.core.roles import Role

    owner = User.objects.filter(organisation=org).order_by("pk").first()
    token, _ = ApiToken.issue(owner, "matrix")
    # Someone other than the admin, so that POSTs as the admin act on another person.
    person = (
        User.objects.filter(organisation=org).exclude(role=Role.ORG_ADMIN).order_by("pk").first()
    )
    OrganisationLogo.objects.update_or_create(
        organisation=org, defaults={"content": _PNG, "content_type": "image/png"}
    )
    return {
        "core:brand-css": {"slug": org.slug},
        "core:logo": {"slug": org.slug},
        "core:api-token-revoke": {"pk": token.pk},
        "core:admin-user": {"pk": person.pk},
        "core:admin-user-active": {"pk": person.pk},
        "core:admin-user-reset": {"pk": person.pk},
        "core:password-reset": {
            "uidb64": urlsafe_base64_encode(force_bytes(person.pk)),
            "token": default_token_generator.make_token(person),
        },
        "core:help-section": {"section": "workforce"},
        "core:help-doc": {"doc": "metrics"},
    }
