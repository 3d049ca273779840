from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _ensure_incident_key(**_signal: object) -> None:
    """Create the incident key file (0600) at set-up, unless keys come from the environment."""
    import os

    from equitable.incidents.keys import ENV_NAME, ensure_key_file

    if not os.environ.get(ENV_NAME, "").strip():
        ensure_key_file()


class IncidentsConfig(AppConfig):
    name = "equitable.incidents"
    label = "incidents"

    def ready(self) -> None:
        post_migrate.connect(_ensure_incident_key, sender=self)
