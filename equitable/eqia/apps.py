from django.apps import AppConfig


class EqiaConfig(AppConfig):
    name = "equitable.eqia"
    label = "eqia"
    verbose_name = "Equality impact assessments"
