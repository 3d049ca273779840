from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "equitable.core"
    label = "core"
    verbose_name = "Organisations, people, roles and audit"

    def ready(self) -> None:
        from equitable.core import warmup  # noqa: F401  (connects figures_changed)
