from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "equitable.actions"
    label = "actions"

    def ready(self) -> None:
        from equitable.actions import services
        from equitable.core.signals import figures_changed

        figures_changed.connect(services.on_figures_changed, dispatch_uid="actions-measures")

        from equitable.actions import board_reports
        from equitable.core import documents
        from equitable.core import roles as R

        documents.register(
            "board_report.draft", board_reports.draft_document, roles=R.DASHBOARD_ROLES
        )
