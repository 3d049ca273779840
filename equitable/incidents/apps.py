from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "equitable.incidents"
    label = "incidents"
