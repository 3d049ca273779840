from django.apps import AppConfig


class ProgrammesConfig(AppConfig):
    name = "equitable.programmes"
    label = "programmes"
    verbose_name = "Development programmes"
