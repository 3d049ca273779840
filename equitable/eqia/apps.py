from django.apps import AppConfig


class EqiaConfig(AppConfig):
    name = "equitable.eqia"
    label = "eqia"
    verbose_name = "Equality impact assessments"

    def ready(self) -> None:
        from equitable.core import documents
        from equitable.eqia import pdf, services

        documents.register("eqia.assessment", pdf.document, roles=services.READ_ROLES)
