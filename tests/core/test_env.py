"""Settings helpers fail loudly on values they cannot understand."""

import pytest

from equitable.env import ConfigurationError, env_bool, env_int, env_json_object


def test_booleans(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "ture")
    with pytest.raises(ConfigurationError, match="FLAG must be true or false"):
        env_bool("FLAG")


def test_integers_with_a_minimum(monkeypatch):
    monkeypatch.setenv("N", "4")
    with pytest.raises(ConfigurationError, match="at least 5"):
        env_int("N", 10, minimum=5)
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ConfigurationError, match="whole number"):
        env_int("N", 10)


def test_a_group_mapping_must_be_a_json_object_of_strings(monkeypatch):
    monkeypatch.setenv("MAP", '{"g1": "edi_officer"}')
    assert env_json_object("MAP") == '{"g1": "edi_officer"}'
    monkeypatch.setenv("MAP", "{g1: edi_officer}")
    with pytest.raises(ConfigurationError, match="MAP is not JSON"):
        env_json_object("MAP")
    monkeypatch.setenv("MAP", '["g1"]')
    with pytest.raises(ConfigurationError, match="JSON object of strings"):
        env_json_object("MAP")
    monkeypatch.delenv("MAP")
    assert env_json_object("MAP") == ""
