"""Demo mentoring: Demo Borough's council-wide scheme (60 mentees, 40 mentors, awaiting
matching) and a few Riverside Borough people, both in the shared London pool. Names are
clearly made up ("Example" surnames, example.invalid addresses)."""

from __future__ import annotations

from collections.abc import Callable

from equitable.core.models import Organisation
from equitable.mentoring import services
from equitable.mentoring.models import Scheme
from equitable.metrics.mentoring.synthetic import synthetic_pool

FIRST_NAMES = (
    "Ada",
    "Bola",
    "Chen",
    "Dev",
    "Esi",
    "Femi",
    "Gita",
    "Hana",
    "Ife",
    "Jon",
    "Kofi",
    "Lina",
    "Maya",
    "Nia",
    "Omar",
    "Pia",
    "Quinn",
    "Ravi",
    "Sade",
    "Tomi",
    "Uma",
    "Vik",
    "Wen",
    "Yaw",
)
SIZES = {"demo-borough": (60, 40, 7), "riverside-borough": (5, 3, 11)}


def load_demo(
    organisation: Organisation,
    *,
    progress: Callable[[str], None] = lambda _text: None,
    **_options: object,  # the options every app's demo is given (employees), unused here
) -> None:
    if organisation.slug not in SIZES or Scheme.objects.filter(organisation=organisation).exists():
        return
    mentees, mentors, seed = SIZES[organisation.slug]
    scheme = Scheme.objects.create(
        organisation=organisation,
        name="MyMentor 2027" if organisation.slug == "demo-borough" else "Riverside MyMentor",
        description="The council-wide mentoring scheme, shared across London boroughs that take "
        "part: mentees are paired with mentors on what they seek and offer, and on the "
        "preferences they give.",
        shared_pool=True,
    )
    directorates = list(organisation.directorates.values_list("name", flat=True))
    people = synthetic_pool(seed, mentees=mentees, mentors=mentors, capacity=2)
    for index, person in enumerate(people):
        surname = f"Example{index + 1:02d}"
        first = FIRST_NAMES[index % len(FIRST_NAMES)]
        offers = list(person["offers"])  # type: ignore[call-overload]
        seeks = list(person["seeks"])  # type: ignore[call-overload]
        ethnic_group = person["ethnic_group"]
        services.sign_up(
            scheme,
            services.SignUp(
                role=str(person["role"]),
                pay_band=str(person["pay_band"]),
                directorate=directorates[index % len(directorates)],
                capacity=int(person["capacity"]) or 1,  # type: ignore[call-overload]
                offers=offers,
                seeks=seeks,
                availability=list(person["availability"]),  # type: ignore[call-overload]
                background_preference=str(person["background_preference"]),
                other_directorate=str(person["other_directorate"]),
                name=f"{first} {surname}",
                email=f"{first.lower()}.{surname.lower()}@{organisation.slug}.example.invalid",
                chain_emails=[],
                characteristics={"ethnic_group": str(ethnic_group)} if ethnic_group else {},
            ),
            user=None,
        )
    progress(f"mentoring: {mentees} mentees and {mentors} mentors signed up")
    if organisation.slug == "riverside-borough":
        # Riverside has matched its mentees from the shared pool (Demo Borough's mentors
        # among them) and confirmed its best pair, without e-mailing the made-up people.
        services.run_matching(scheme, user=None)
        best = scheme.pairs.order_by("-score").first()
        if best is not None:
            best.confirm()
