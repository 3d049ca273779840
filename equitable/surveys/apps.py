from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "equitable.surveys"
    label = "surveys"
