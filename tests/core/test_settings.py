"""Production settings pass Django's deployment checks and hash passwords with Argon2."""

import os
import subprocess
import sys


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "equitable.settings",
        "EQUITABLE_ENV": "production",
        "EQUITABLE_SECRET_KEY": "k3Yq9-ZpL0wR7sT2vB8nM4xC6dF1gH5jK7aS9dQ2eW4rT6yU8iO0pZ",
        "EQUITABLE_ALLOWED_HOSTS": "equitable.example.gov.uk",
        "EQUITABLE_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "equitable.settings",
        "EQUITABLE_ENV": "production",
        "EQUITABLE_DATA_DIR": str(tmp_path),
    }
    env.pop("EQUITABLE_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "EQUITABLE_SECRET_KEY must be set" in result.stderr


def test_argon2_is_the_password_hasher():
    from equitable import settings

    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
