from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "equitable.lifecycle"
    label = "lifecycle"

    def ready(self) -> None:
        from equitable.core import warmup
        from equitable.lifecycle import figures  # connects figures_changed

        warmup.register("lifecycle", figures.warm_figures)
