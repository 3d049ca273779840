"""Sample URL parameters for the EqIA views (see tests/matrix_support.py).

The assessments are in the People directorate, so a champion (allowed to edit it) gets 200."""

from tests.eqia.factories import add_mitigation, awaiting_sign_off, make_assessment

NOT_OBJECT_SCOPED: set[str] = set()
SKIP: dict[str, str] = {}


def samples(org) -> dict[str, dict]:
    from equitable.eqia.models import Assessment

    full = make_assessment(org, status=Assessment.Status.FULL, full_assessment_needed=True)
    add_mitigation(full)
    waiting = awaiting_sign_off(org)
    pk = {"pk": full.pk}
    return {
        "eqia:assessment": pk,
        "eqia:edit": pk,
        "eqia:screening": {"pk": make_assessment(org).pk},
        "eqia:full": pk,
        "eqia:evidence": pk,
        "eqia:scope": pk,
        "eqia:status": pk,
        "eqia:sign-off": {"pk": waiting.pk},
        "eqia:actions": pk,
        "eqia:pdf": pk,
    }
