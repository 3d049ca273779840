from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "equitable.workforce"
    label = "workforce"
