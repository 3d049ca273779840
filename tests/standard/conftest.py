"""Fixtures shared by the Standard's tests: the demo's four staff survey waves (`surveyed`),
for the survey figures beside 2c.5 and 4.2."""

from tests.surveys.conftest import surveyed  # noqa: F401
