from django.urls import path

from equitable.workforce import views

app_name = "workforce"

urlpatterns = [
    path("", views.index, name="index"),
    path("figures/<slug:name>/", views.figure, name="figure"),
    path("figures/<slug:name>/download/<slug:fmt>/", views.download, name="download"),
    path("trends/", views.trends, name="trends"),
    path("import/", views.import_start, name="import"),
    path("import/<int:pk>/", views.import_job, name="import-job"),
    path("import/<int:pk>/mapping/", views.import_mapping, name="import-mapping"),
    path("import/<int:pk>/values/", views.import_values, name="import-values"),
    path("import/<int:pk>/confirm/", views.import_confirm, name="import-confirm"),
    path("import/<int:pk>/confirm-pay/", views.import_confirm_pay, name="import-confirm-pay"),
    path("import/<int:pk>/cancel/", views.import_cancel, name="import-cancel"),
    path("import/<int:pk>/problems.csv", views.import_problems_csv, name="import-problems-csv"),
    path("snapshots/", views.snapshot_list, name="snapshots"),
    path("snapshots/<int:pk>/delete/", views.snapshot_delete, name="snapshot-delete"),
    path("population/", views.population, name="population"),
]
