from django.urls import path

from equitable.lifecycle import views

app_name = "lifecycle"

urlpatterns = [
    path("", views.index, name="index"),
    *(
        path(f"{family}/", views.family_page, {"family": family}, name=family)
        for family in ("recruitment", "movements", "casework", "development")
    ),
    path("<slug:family>/download/<slug:fmt>/", views.download, name="download"),
    path("wres/", views.wres, name="wres"),
    path("social-care-wres/", views.social_care_wres, name="social-care-wres"),
    path("reports/<slug:report>/<slug:fmt>/", views.report_download, name="report-download"),
    path("settings/", views.social_care_settings, name="settings"),
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_job, name="import-job"),
    path("import/<int:pk>/mapping/", views.import_mapping, name="import-mapping"),
    path("import/<int:pk>/values/", views.import_values, name="import-values"),
    path("import/<int:pk>/cancel/", views.import_cancel, name="import-cancel"),
    path("import/<int:pk>/problems.csv", views.import_problems_csv, name="import-problems-csv"),
]
