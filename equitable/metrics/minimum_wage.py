"""The UK legal minimum hourly pay (National Living Wage and National Minimum Wage) by date.

Used by the import to flag an hourly rate below the legal minimum for confirmation: such a rate
is more often a mistake in the extract (a part-time salary given as the full-time one, pence
read as pounds) than a fact, and a wrong low rate moves every pay gap and quartile.

Source: GOV.UK, "National Minimum Wage and National Living Wage rates"
(https://www.gov.uk/national-minimum-wage-rates), current and previous rates, as published
on 2 December 2026. The rates change on 1 April each year. The National Living Wage was for
those aged 25 and over until 31 March 2021, 23 and over from 1 April 2021 and 21 and over from
1 April 2024. Apprentices under 19, or in the first year of their apprenticeship, may be paid
the apprentice rate, which the import cannot tell from the extract: its message says so.

A snapshot before the first date below is not checked against a minimum. A snapshot after the
last date uses the last rates until this table is extended (add a row each April).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class MinimumRates:
    """Hourly rates in pounds from `since`: by age band, and the apprentice rate."""

    since: date
    living_wage_age: int  # the National Living Wage applies from this age
    living_wage: float
    age_21_and_over: float | None  # the band between 21 and the living wage age, if any
    age_18_to_20: float
    under_18: float
    apprentice: float

    def for_age(self, age: int | None) -> float | None:
        """The minimum for a worker of `age` (the adult rate when the age is not known);
        None under 16 (school age: no minimum applies)."""
        if age is None or age >= self.living_wage_age:
            return self.living_wage
        if age >= 21 and self.age_21_and_over is not None:
            return self.age_21_and_over
        if age >= 18:
            return self.age_18_to_20
        if age >= 16:
            return self.under_18
        return None


# since, NLW age, NLW, 21 to NLW age, 18-20, under 18, apprentice (GOV.UK, above).
RATES: tuple[MinimumRates, ...] = (
    MinimumRates(date(2018, 4, 1), 25, 7.83, 7.38, 5.90, 4.20, 3.70),
    MinimumRates(date(2019, 4, 1), 25, 8.21, 7.70, 6.15, 4.35, 3.90),
    MinimumRates(date(2020, 4, 1), 25, 8.72, 8.20, 6.45, 4.55, 4.15),
    MinimumRates(date(2021, 4, 1), 23, 8.91, 8.36, 6.56, 4.62, 4.30),
    MinimumRates(date(2022, 4, 1), 23, 9.50, 9.18, 6.83, 4.81, 4.81),
    MinimumRates(date(2023, 4, 1), 23, 10.42, 10.18, 7.49, 5.28, 5.28),
    MinimumRates(date(2024, 4, 1), 21, 11.44, None, 8.60, 6.40, 6.40),
    MinimumRates(date(2025, 4, 1), 21, 12.21, None, 10.00, 7.55, 7.55),
    MinimumRates(date(2026, 4, 1), 21, 12.71, None, 10.85, 8.00, 8.00),
)


def rates_on(day: date) -> MinimumRates | None:
    """The rates in force on `day`, or None before the first date in the table."""
    current = None
    for rates in RATES:
        if rates.since <= day:
            current = rates
    return current
