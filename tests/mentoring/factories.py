"""Schemes and sign-ups for the mentoring tests (names clearly made up)."""

from __future__ import annotations

from equitable.mentoring import services
from equitable.mentoring.models import Participant, Scheme


def make_scheme(org, **fields) -> Scheme:
    return Scheme.objects.create(
        organisation=org, name=fields.pop("name", "Mentoring 2027"), **fields
    )


def join(
    scheme,
    role,
    band,
    *,
    name,
    seeks=(),
    offers=(),
    capacity=1,
    directorate="People",
    chain=(),
    characteristics=None,
    **rest,
) -> Participant:
    return services.sign_up(
        scheme,
        services.SignUp(
            role=role,
            pay_band=str(band),
            directorate=directorate,
            capacity=capacity,
            offers=list(offers),
            seeks=list(seeks),
            availability=rest.pop("availability", []),
            background_preference=rest.pop("background_preference", "any"),
            other_directorate=rest.pop("other_directorate", "any"),
            name=name,
            email=f"{name.lower().replace(' ', '.')}@example.test",
            chain_emails=[f"{c.lower().replace(' ', '.')}@example.test" for c in chain],
            characteristics=characteristics or {},
        ),
        user=None,
    )


def small_pool(org, **scheme_fields):
    """The CLI's hand-worked pool: greedy strands a mentee, the optimum matches both."""
    scheme = make_scheme(org, **scheme_fields)
    a = join(
        scheme,
        "mentor",
        5,
        name="Testmentor Alpha",
        offers=["leadership", "budgets and finance"],
        characteristics={"ethnic_group": "black"},
    )
    b = join(
        scheme, "mentor", 4, name="Testmentor Beta", offers=["leadership"], directorate="Place"
    )
    m1 = join(
        scheme,
        "mentee",
        2,
        name="Testmentee One",
        seeks=["leadership", "budgets and finance"],
        other_directorate="yes",
        background_preference="same",
        characteristics={"ethnic_group": "black"},
    )
    m2 = join(
        scheme,
        "mentee",
        3,
        name="Testmentee Two",
        seeks=["leadership"],
        directorate="Place",
        chain=["Testmentor Beta"],
    )
    return scheme, {"A": a, "B": b, "m1": m1, "m2": m2}
