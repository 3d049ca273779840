from django.apps import AppConfig


class ServiceUsersConfig(AppConfig):
    name = "equitable.service_users"
    label = "service_users"
    verbose_name = "Service users and complaints"

    def ready(self) -> None:
        from equitable.core import warmup
        from equitable.service_users import services

        warmup.register("service_users", services.warm_figures)
