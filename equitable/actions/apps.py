from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "equitable.actions"
    label = "actions"
