from django.apps import AppConfig


class MentoringConfig(AppConfig):
    name = "equitable.mentoring"
    label = "mentoring"
    verbose_name = "Mentoring"
