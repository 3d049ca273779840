from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "equitable.publications"
    label = "publications"
    verbose_name = "Published reports and open data"
