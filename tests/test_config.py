"""Every setting has one home (sxworker/config.py), the README documents each with the same
default, and a bad value is one line naming the setting."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from sxworker import config
from tests.conftest import ROOT, run_scrapy_crawl

README = (ROOT / "README.md").read_text(encoding="utf-8")
# A whole name: not the SXWORKER_FILES of "SXWORKER_FILES_*".
_NAME = re.compile(r"\bSXWORKER_[A-Z0-9]+(?:_[A-Z0-9]+)*(?![A-Z0-9_*])")


def _used_names() -> set[str]:
    return {
        name
        for path in (ROOT / "sxworker").rglob("*.py")
        for name in _NAME.findall(path.read_text(encoding="utf-8"))
    }


def _readme_settings() -> dict[str, str]:
    """Setting → the default the README's Settings table shows."""
    section = README.split("### Settings", 1)[1].split("\n### ", 1)[0]
    rows = re.findall(r"^\| `([A-Z0-9_]+)` \| ([^|]+) \|", section, re.MULTILINE)
    return {name: shown.strip() for name, shown in rows}


def _shown(setting: config.Setting) -> str:
    if setting.shown is not None:
        return f"`{setting.shown}`"
    if setting.default is None:
        return "unset"
    if setting.default == "":
        return "empty"
    if isinstance(setting.default, float) and setting.default.is_integer():
        return f"`{int(setting.default)}`"
    return f"`{setting.default}`"


def test_every_setting_named_in_the_code_is_in_the_table():
    assert _used_names() - set(config.SETTINGS) == set()


def test_every_setting_is_in_the_readme_with_its_default():
    documented = _readme_settings()
    assert {name: documented.get(name) for name in config.SETTINGS} == {
        name: _shown(setting) for name, setting in config.SETTINGS.items()
    }


@pytest.mark.parametrize("value", ["False", "false", "0", "no", "OFF", "", False])
def test_one_off_switch(value):
    assert config.read({"SXWORKER_FILES_SCANS": value}, "SXWORKER_FILES_SCANS") is False


@pytest.mark.parametrize("value", ["True", "1", "yes", "on", True])
def test_one_on_switch(value):
    assert config.read({"SXWORKER_REFETCH": value}, "SXWORKER_REFETCH") is True


def test_defaults_and_parsing():
    assert config.read({}, "SXWORKER_RECHECK_DAYS") == 7
    assert config.read({"SXWORKER_RECHECK_DAYS": " 3 "}, "SXWORKER_RECHECK_DAYS") == 3
    assert config.read({"SXWORKER_ALARM_RATIO": "0.25"}, "SXWORKER_ALARM_RATIO") == 0.25
    # An empty path or URL is the default, not an empty path.
    assert config.read({"SXWORKER_DB": ""}, "SXWORKER_DB") == "data/sxworker.sqlite3"
    assert config.read({"SXWORKER_WARC_DIR": ""}, "SXWORKER_WARC_DIR") is None


def test_the_settings_module_takes_every_default_from_the_table():
    code = (
        "import json; from scrapy.utils.project import get_project_settings; from sxworker import config;"
        "s = get_project_settings(); print(json.dumps({n: config.read(s, n) for n in config.SETTINGS}))"
    )
    env = {"PATH": "/usr/bin:/bin", "SXWORKER_ALARM_RATIO": "0.3"}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    expected = {name: setting.default for name, setting in config.SETTINGS.items()}
    assert json.loads(result.stdout) == expected | {"SXWORKER_ALARM_RATIO": 0.3}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("SXWORKER_RECHECK_DAYS", "abc", "SXWORKER_RECHECK_DAYS='abc' is not a whole number"),
        ("SXWORKER_ALARM_RATIO", "half", "SXWORKER_ALARM_RATIO='half' is not a number"),
        ("SXWORKER_FILES_PDFS", "maybe", "SXWORKER_FILES_PDFS='maybe' is not a switch"),
        ("SXWORKER_BATCH_SIZE", True, "SXWORKER_BATCH_SIZE=True is not a whole number"),
    ],
)
def test_a_bad_value_is_one_line_naming_the_setting(name, value, message):
    with pytest.raises(config.SettingError) as raised:
        config.read({name: value}, name)
    assert str(raised.value).startswith(message) and "\n" not in str(raised.value)


def test_a_bad_crawl_setting_stops_the_crawl_with_one_line(tmp_path):
    # Checked by the command before the crawl starts: no archive is made, nothing is fetched;
    # its exit status and output, so ``scrapy crawl`` in a subprocess.
    process = run_scrapy_crawl(
        "http://127.0.0.1:9", tmp_path / "a.sqlite3", settings={"SXWORKER_RECHECK_DAYS": "abc"}
    )
    assert process.returncode == 2
    assert process.stderr == "sxworker: error: SXWORKER_RECHECK_DAYS='abc' is not a whole number\n"
    assert not (tmp_path / "a.sqlite3").exists()


def test_a_bad_value_from_the_environment_is_the_same_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "SXWORKER_FILES_SCANS": "maybe", "SXWORKER_DB": str(tmp_path / "a.db")}
    process = subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", "sxworker"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert process.returncode == 2
    assert process.stderr.startswith("sxworker: error: SXWORKER_FILES_SCANS='maybe' is not a switch")
    assert process.stderr.count("\n") == 1
