from django.apps import AppConfig


class StandardConfig(AppConfig):
    name = "equitable.standard"
    label = "standard"
