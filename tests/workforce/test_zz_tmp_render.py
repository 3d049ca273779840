import pytest
from datetime import date
from django.urls import reverse
from equitable.workforce import services, catalogue
from tests.metrics.frames import workforce
from tests.workforce.conftest import COMPOSITION

@pytest.fixture
def snap(org):
    eth=[]; dire=[]
    for d,e,n in COMPOSITION:
        eth += [e]*n; dire += [d]*n
    n=len(eth)
    f = workforce(employee_key=[str(i) for i in range(n)], ethnicity=eth, directorate=dire,
        sex=["Female" if i%2 else "Male" for i in range(n)], hourly_pay=[15.0+(i%13)*1.5 for i in range(n)],
        pay_band=[f"Band {1+i%4}" for i in range(n)])
    return services.store_snapshot(org, f, snapshot_date=date(2025,3,31), present_columns=["employee_id","ethnicity","directorate","sex","hourly_pay","pay_band"], source_filename="x", user=None, replace=False)

@pytest.mark.parametrize("persona", ["edi_officer","board_member","champion"])
def test_render(client_as, snap, persona):
    c = client_as(persona)
    assert c.get(reverse("workforce:index")).status_code == 200
    for f in catalogue.FIGURES:
        r = c.get(reverse("workforce:figure", args=[f.name]))
        assert r.status_code == 200, f.name
        r = c.get(reverse("workforce:download", args=[f.name, "xlsx"]))
        assert r.status_code in (200, 302), f.name
    for f in catalogue.FIGURES:
        r = c.get(reverse("workforce:trends")+"?figure="+f.name)
        assert r.status_code == 200, f.name
    r = c.get("/api/workforce/figures/representation_overall")
    assert r.status_code == 200, r.content
