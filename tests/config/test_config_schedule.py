"""Schedules load from schedule.yaml or ipwatch.yaml's schedule: key, never both; errors name
the file, the entry's field and the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.errors import ConfigError
from config.schedule import Schedule, load_schedule
from config.settings import CONFIG_FILE, load_app_config

ENTRY = "- marketplace: demo\n  cron: '0 3 * * 1-5'\n  timezone: Europe/Berlin\n"


def load(home: Path) -> Schedule:
    return load_schedule(home, load_app_config(home).schedule, home / CONFIG_FILE)


def test_schedule_yaml_with_defaults(tmp_path: Path) -> None:
    (tmp_path / "schedule.yaml").write_text(ENTRY + "  keywords: [novaflex]\n")
    schedule = load(tmp_path)
    assert schedule.source == tmp_path / "schedule.yaml"
    (entry,) = schedule.entries
    assert (entry.marketplace, entry.timezone, entry.keywords) == (
        "demo",
        "Europe/Berlin",
        ["novaflex"],
    )
    assert (entry.misfire, entry.misfire_grace_s, entry.jitter_s, entry.enabled) == (
        "run_once",
        3600,
        0,
        True,
    )
    assert entry.zone.key == "Europe/Berlin"


def test_schedule_key_of_ipwatch_yaml(tmp_path: Path) -> None:
    inline = "schedule:\n  - marketplace: demo\n    cron: '0 3 * * 1-5'\n"
    (tmp_path / CONFIG_FILE).write_text(inline)
    schedule = load(tmp_path)
    assert schedule.source == tmp_path / CONFIG_FILE
    assert [e.marketplace for e in schedule.entries] == ["demo"]


def test_no_schedule_is_an_empty_one(tmp_path: Path) -> None:
    schedule = load(tmp_path)
    assert schedule.entries == [] and schedule.source is None


def test_both_sources_is_an_error_naming_both_files(tmp_path: Path) -> None:
    (tmp_path / "schedule.yaml").write_text(ENTRY)
    (tmp_path / CONFIG_FILE).write_text("schedule: []\n")
    with pytest.raises(ConfigError) as raised:
        load(tmp_path)
    message = str(raised.value)
    assert str(tmp_path / "schedule.yaml") in message and str(tmp_path / CONFIG_FILE) in message
    assert "keep one" in message


@pytest.mark.parametrize(
    ("extra", "where", "says"),
    [
        ("  cron: '0 25 * * *'\n", "0.cron", "hour: '25' is not a number from 0 to 23"),
        ("  timezone: Mars/Olympus\n", "0.timezone", "unknown time zone 'Mars/Olympus'"),
        ("  jiter_s: 5\n", "0.jiter_s", "Extra inputs are not permitted"),
        ("  misfire: always\n", "0.misfire", "'run_once' or 'skip'"),
        ("  jitter_s: -1\n", "0.jitter_s", "greater than or equal to 0"),
    ],
)
def test_bad_field_names_file_and_field(tmp_path: Path, extra: str, where: str, says: str) -> None:
    entry = "- marketplace: demo\n" + ("" if "cron" in extra else "  cron: '0 3 * * *'\n")
    (tmp_path / "schedule.yaml").write_text(entry + extra)
    with pytest.raises(ConfigError) as raised:
        load(tmp_path)
    message = str(raised.value)
    assert message.startswith(f"{tmp_path / 'schedule.yaml'}: invalid configuration")
    assert f"{where}: " in message and says in message


def test_bad_field_in_ipwatch_yaml_names_the_schedule_key(tmp_path: Path) -> None:
    (tmp_path / CONFIG_FILE).write_text("schedule:\n  - marketplace: demo\n    cron: '* *'\n")
    with pytest.raises(ConfigError, match=r"schedule\.0\.cron: .*2 field\(s\)"):
        load(tmp_path)


def test_one_entry_per_marketplace(tmp_path: Path) -> None:
    (tmp_path / "schedule.yaml").write_text(ENTRY + ENTRY)
    with pytest.raises(ConfigError, match="'demo' is scheduled twice"):
        load(tmp_path)


def test_a_mapping_instead_of_a_list_says_what_to_write(tmp_path: Path) -> None:
    (tmp_path / "schedule.yaml").write_text("demo:\n  cron: '0 3 * * *'\n")
    with pytest.raises(ConfigError, match="expected a list of entries"):
        load(tmp_path)


def test_marketplace_must_be_a_profile_name_not_a_path(tmp_path: Path) -> None:
    (tmp_path / "schedule.yaml").write_text("- marketplace: ../etc/x\n  cron: '0 3 * * *'\n")
    with pytest.raises(ConfigError, match=r"0\.marketplace: "):
        load(tmp_path)
