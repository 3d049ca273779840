from django.apps import AppConfig


class StandardConfig(AppConfig):
    name = "equitable.standard"
    label = "standard"

    def ready(self) -> None:
        from equitable.core import documents
        from equitable.core import roles as R
        from equitable.standard import exports

        documents.register(
            "standard.assessment", exports.assessment_document, roles=R.DASHBOARD_ROLES
        )
