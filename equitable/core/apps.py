from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "equitable.core"
    label = "core"
    verbose_name = "Organisations, people, roles and audit"
