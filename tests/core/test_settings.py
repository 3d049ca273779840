"""Production settings pass Django's deployment checks, hash passwords with Argon2, and refuse to
start on a reverse-proxy set-up that cannot work (docs/operations.md)."""

import os
import subprocess
import sys

import pytest

PRODUCTION = {
    "DJANGO_SETTINGS_MODULE": "equitable.settings",
    "EQUITABLE_ENV": "production",
    "EQUITABLE_SECRET_KEY": "k3Yq9-ZpL0wR7sT2vB8nM4xC6dF1gH5jK7aS9dQ2eW4rT6yU8iO0pZ",
    "EQUITABLE_ALLOWED_HOSTS": "equitable.example.gov.uk",
    "EQUITABLE_TRUSTED_PROXY": "127.0.0.1",
}


def django(tmp_path, *command, **variables) -> subprocess.CompletedProcess:
    """Run `python -m django <command>` with these variables (None removes one)."""
    env = {**os.environ, **PRODUCTION, "EQUITABLE_DATA_DIR": str(tmp_path)}
    for name in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"):
        env.pop(name, None)
    for name, value in variables.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, "-m", "django", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = django(tmp_path, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = django(tmp_path, "check", EQUITABLE_SECRET_KEY=None)
    assert result.returncode != 0
    assert "EQUITABLE_SECRET_KEY must be set" in result.stderr


def test_production_sends_hsts_and_trusts_only_the_proxy(tmp_path):
    script = (
        "from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, "
        "s.USE_X_FORWARDED_HOST, [str(n) for n in s.EQUITABLE_TRUSTED_PROXIES], "
        "s.EQUITABLE_TRUSTED_PROXY_COUNT, sorted(s.EQUITABLE_TRUSTED_PROXY_HEADERS))"
    )
    result = django(tmp_path, "shell", "-c", script, EQUITABLE_TRUSTED_PROXY="10.0.0.0/30,::1")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "31536000 True None False ['10.0.0.0/30', '::1/128'] 1 "
        "['x-forwarded-for', 'x-forwarded-proto']"
    )


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"EQUITABLE_TRUSTED_PROXY": None}, "EQUITABLE_TRUSTED_PROXY must be set in production"),
        ({"EQUITABLE_TRUSTED_PROXY": "proxy.internal"}, "must list IP addresses or networks"),
        ({"EQUITABLE_TRUSTED_PROXY": "10.0.0.1/24"}, "must list IP addresses or networks"),
        ({"EQUITABLE_TRUSTED_PROXY_COUNT": "0"}, "must be at least 1"),
        (
            {
                "EQUITABLE_ENV": "development",
                "EQUITABLE_TRUSTED_PROXY": None,
                "EQUITABLE_TRUSTED_PROXY_COUNT": "2",
            },
            "has no meaning without EQUITABLE_TRUSTED_PROXY",
        ),
        ({"EQUITABLE_TRUSTED_PROXY_HEADERS": "x-real-ip"}, "x-real-ip unknown"),
        ({"EQUITABLE_TRUSTED_PROXY_HEADERS": "x-forwarded-for"}, "must include x-forwarded-proto"),
        (
            {"EQUITABLE_TRUSTED_PROXY_HEADERS": "forwarded,x-forwarded-for"},
            "either forwarded or X-Forwarded-* headers",
        ),
        ({"EQUITABLE_CSRF_TRUSTED_ORIGINS": "equitable.example.gov.uk"}, "with their scheme"),
        ({"EQUITABLE_HSTS_SECONDS": "a year"}, "EQUITABLE_HSTS_SECONDS must be a whole number"),
    ],
)
def test_a_proxy_set_up_that_cannot_work_stops_the_start_up(tmp_path, variables, message):
    result = django(tmp_path, "check", **variables)
    assert result.returncode != 0
    assert message in result.stderr


def test_argon2_is_the_password_hasher():
    from equitable import settings

    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_links_in_e_mail_point_at_the_production_host_unless_told_otherwise(tmp_path):
    script = "from django.conf import settings as s; print(s.EQUITABLE_SITE_URL, s.EMAIL_BACKEND)"
    default = django(tmp_path, "shell", "-c", script)
    assert default.returncode == 0, default.stderr
    assert default.stdout.strip().splitlines()[-1].split() == [
        "https://equitable.example.gov.uk",
        "django.core.mail.backends.console.EmailBackend",
    ]
    told = django(
        tmp_path,
        "shell",
        "-c",
        script,
        EQUITABLE_SITE_URL="https://edi.harrow.gov.uk",
        EQUITABLE_SMTP_HOST="smtp.harrow.gov.uk",
    )
    assert told.stdout.strip().splitlines()[-1].split() == [
        "https://edi.harrow.gov.uk",
        "django.core.mail.backends.smtp.EmailBackend",
    ]
