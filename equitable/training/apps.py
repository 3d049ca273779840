from django.apps import AppConfig


class TrainingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "equitable.training"
    label = "training"
    verbose_name = "Training records and compliance"

    def ready(self) -> None:
        from equitable.core import warmup
        from equitable.training import services

        warmup.register("training", services.warm_figures)
