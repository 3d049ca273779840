"""Public, sign-in-free URLs of the anonymous reporting channel (mounted at /report-an-incident/)."""

app_name = "report"

urlpatterns: list = []
