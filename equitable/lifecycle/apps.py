from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "equitable.lifecycle"
    label = "lifecycle"

    def ready(self) -> None:
        from equitable.lifecycle import figures  # noqa: F401  (connects figures_changed)
