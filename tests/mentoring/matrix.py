"""Sample URL parameters for the mentoring views (see tests/matrix_support.py)."""

NOT_OBJECT_SCOPED = {"mentoring:open-signup"}  # a public page reached by the scheme's secret
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    from equitable.mentoring import services
    from tests.mentoring.factories import small_pool

    scheme, people = small_pool(org)
    services.run_matching(scheme, user=None)
    pair = scheme.pairs.first()
    assert pair is not None
    pk = {"pk": scheme.pk}
    return {
        "mentoring:open-signup": {"token": scheme.signup_token},
        "mentoring:scheme": pk,
        "mentoring:edit": pk,
        "mentoring:signup": pk,
        "mentoring:people": pk,
        "mentoring:leave": {"pk": scheme.pk, "participant_pk": people["m1"].pk},
        "mentoring:matching": pk,
        "mentoring:confirm-all": pk,
        "mentoring:pair": {"pk": pair.pk},
        "mentoring:pair-change": {"pk": pair.pk},
        "mentoring:pair-confirm": {"pk": pair.pk},
        "mentoring:pair-end": {"pk": pair.pk},
        "mentoring:pair-check-in": {"pk": pair.pk},
    }
