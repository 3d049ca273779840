from django.urls import path

from equitable.standard import views

app_name = "standard"

urlpatterns = [
    path("", views.index, name="index"),
    path("the-standard/", views.about, name="about"),
    path("assessments/start/", views.start, name="start"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment"),
    path("assessments/<int:pk>/category/<str:category_id>/", views.category, name="category"),
    path("assessments/<int:pk>/submit/", views.submit, name="submit"),
    path("assessments/<int:pk>/reopen/", views.reopen, name="reopen"),
    path("assessments/<int:pk>/report.pdf", views.export_pdf, name="export-pdf"),
    path("assessments/<int:pk>/criteria.xlsx", views.export_xlsx, name="export-xlsx"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence-file"),
    path("over-time/", views.compare, name="compare"),
    path("anti-racist-statement/", views.statement, name="statement"),
    path("benchmarking/", views.benchmarking, name="benchmarking"),
    path("benchmarking/london/", views.coordinator, name="coordinator"),
    path("pairing/", views.pairing, name="pairing"),
    path("pairing/<int:pk>/answer/", views.pairing_answer, name="pairing-answer"),
    path("pairing/<int:pk>/", views.paired, name="paired"),
]
