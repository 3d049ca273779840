from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "equitable.workforce"
    label = "workforce"

    def ready(self) -> None:
        from equitable.core import warmup
        from equitable.workforce import services

        warmup.register("workforce", services.warm_figures)
