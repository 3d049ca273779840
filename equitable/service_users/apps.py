from django.apps import AppConfig


class ServiceUsersConfig(AppConfig):
    name = "equitable.service_users"
    label = "service_users"
    verbose_name = "Service users and complaints"
