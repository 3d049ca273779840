"""Public, sign-in-free URLs of the anonymous reporting channel (mounted at /report-an-incident/)."""

from django.urls import path

from equitable.incidents import public_views

app_name = "report"

urlpatterns = [
    path("", public_views.start, name="start"),
    path("follow-up/", public_views.follow_up, name="follow-up"),
    path("save-receipt/", public_views.save_receipt, name="save-receipt"),
    path("<slug:slug>/", public_views.report_form, name="form"),
]
