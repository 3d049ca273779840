from django.urls import path, register_converter

from equitable.actions import views
from equitable.actions.converters import QuarterConverter

register_converter(QuarterConverter, "quarter")

app_name = "actions"

urlpatterns = [
    path("", views.index, name="index"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("actions/<int:pk>/", views.action_detail, name="action"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/updates/new/", views.update_new, name="update-new"),
    path("updates/<int:pk>/file/", views.update_file, name="update-file"),
    path("measures/", views.measure_list, name="measures"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/target/", views.measure_target, name="measure-target"),
    path("measures/<int:pk>/values/", views.measure_value_new, name="measure-value-new"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("workbook.xlsx", views.export_xlsx, name="export"),
    path("import/", views.import_xlsx, name="import"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    path("board-report/", views.board_report_choose, name="board-report-choose"),
    path("board-report/<quarter:quarter>/", views.board_report, name="board-report"),
    path("board-report/<quarter:quarter>/pdf/", views.board_report_pdf, name="board-report-pdf"),
]
