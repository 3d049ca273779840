from django.urls import path, register_converter

from equitable.actions import board_report_views as board
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
    path("updates/<int:pk>/correct/", views.update_correct, name="update-correct"),
    path("updates/<int:pk>/withdraw/", views.update_withdraw, name="update-withdraw"),
    path("measures/", views.measure_list, name="measures"),
    path("measures/<int:pk>/", views.measure_detail, name="measure"),
    path("measures/<int:pk>/target/", views.measure_target, name="measure-target"),
    path("measures/<int:pk>/values/", views.measure_value_new, name="measure-value-new"),
    path("measures/<int:pk>/survey/", views.measure_survey_source, name="measure-survey"),
    path("recommendations/", views.recommendations, name="recommendations"),
    path("recommendations/new/", views.recommendation_new, name="recommendation-new"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation"),
    path("recommendations/<int:pk>/edit/", views.recommendation_edit, name="recommendation-edit"),
    path("workbook.xlsx", views.export_xlsx, name="export"),
    path("import/", views.import_xlsx, name="import"),
    path("import/confirm/", views.import_confirm, name="import-confirm"),
    path("board-report/", board.board_report_choose, name="board-report-choose"),
    path("board-report/<quarter:quarter>/", board.board_report, name="board-report"),
    path("board-report/<quarter:quarter>/pdf/", board.board_report_pdf, name="board-report-pdf"),
    path(
        "board-report/<quarter:quarter>/messages/",
        board.board_report_messages,
        name="board-report-messages",
    ),
    path(
        "board-report/<quarter:quarter>/issue/", board.board_report_issue, name="board-report-issue"
    ),
    path("board-reports/<int:pk>/", board.board_report_issued, name="board-report-issued"),
    path(
        "board-reports/<int:pk>/pdf/", board.board_report_issued_pdf, name="board-report-issued-pdf"
    ),
]
