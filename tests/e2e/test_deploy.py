"""The deploy/ examples agree with each other and with the code they run."""

from __future__ import annotations

import configparser
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from sxworker.config import SETTINGS
from tests.conftest import ROOT

DEPLOY = ROOT / "deploy"
SERVICE = DEPLOY / "sxworker-crawl.service"
TIMER = DEPLOY / "sxworker-crawl.timer"
VERIFY_SERVICE = DEPLOY / "sxworker-verify.service"
VERIFY_TIMER = DEPLOY / "sxworker-verify.timer"


def unit(path: Path) -> configparser.ConfigParser:
    # systemd units allow repeated keys and need case kept: not strict, no lower-casing.
    parser = configparser.ConfigParser(strict=False, interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment, method-assign]
    parser.read_string(path.read_text(encoding="utf-8"), source=str(path))
    return parser


def invokes_the_crawl(command: str) -> bool:
    words = shlex.split(command)
    return any(
        Path(word).name == "scrapy" and words[i + 1 : i + 3] == ["crawl", "sxworker"]
        for i, word in enumerate(words)
    )


def test_the_service_is_a_oneshot_crawl_from_the_checkout():
    service = unit(SERVICE)["Service"]
    assert service["Type"] == "oneshot"
    assert service["WorkingDirectory"].startswith("/")
    assert service["EnvironmentFile"].lstrip("-").endswith("sxworker.env")
    assert invokes_the_crawl(service["ExecStart"])
    assert "LOG_FILE=" in service["ExecStart"]
    assert service["Nice"] == "19" and service["IOSchedulingClass"] == "idle"
    assert "75" in service["SuccessExitStatus"].split()  # another crawl running: not a failure


def test_the_timer_runs_the_service_daily_and_catches_up():
    timer = unit(TIMER)["Timer"]
    assert timer["Unit"] == SERVICE.name
    assert timer["OnCalendar"] and timer["RandomizedDelaySec"]
    assert timer["Persistent"] == "true"
    assert unit(TIMER)["Install"]["WantedBy"] == "timers.target"


def test_the_verify_service_checks_the_crawls_archive_from_the_checkout():
    crawl, verify = unit(SERVICE)["Service"], unit(VERIFY_SERVICE)["Service"]
    assert verify["Type"] == "oneshot"
    for same in ("User", "Group", "WorkingDirectory", "EnvironmentFile", "Nice", "IOSchedulingClass"):
        assert verify[same] == crawl[same], same  # the crawl's archive, files, WARC folder and manners
    words = shlex.split(verify["ExecStart"])
    assert Path(words[0]).name == "sxworker" and words[0].startswith(crawl["WorkingDirectory"])
    assert words[1:] == ["verify"]  # what to check comes from the environment file
    # Exit status 1 (a problem found) must leave the unit failed, for whatever watches.
    assert "SuccessExitStatus" not in verify
    # SQLite's read-only reader still makes the -shm index beside the archive.
    assert verify["ProtectSystem"] != "strict"


def test_the_verify_timer_runs_weekly_outside_the_crawls_hours():
    timer = unit(VERIFY_TIMER)["Timer"]
    assert timer["Unit"] == VERIFY_SERVICE.name
    weekday, _, time = timer["OnCalendar"].split()
    assert weekday in ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    crawl_hour = int(unit(TIMER)["Timer"]["OnCalendar"].split()[1].split(":")[0])
    assert int(time.split(":")[0]) + 1 < crawl_hour  # its random delay included
    assert timer["RandomizedDelaySec"] and timer["Persistent"] == "true"
    assert unit(VERIFY_TIMER)["Install"]["WantedBy"] == "timers.target"


@pytest.mark.parametrize(("service", "timer"), [(SERVICE, TIMER), (VERIFY_SERVICE, VERIFY_TIMER)])
def test_the_units_pass_systemd_analyze(service, timer):
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze not installed")
    calendar = unit(timer)["Timer"]["OnCalendar"]
    assert subprocess.run([analyze, "calendar", calendar], capture_output=True, check=False).returncode == 0
    process = subprocess.run(
        [analyze, "verify", str(service), str(timer)], capture_output=True, text=True, timeout=60, check=False
    )
    complaints = [
        line
        for line in (process.stdout + process.stderr).splitlines()
        # The venv's scrapy and sxworker exist on the server, not here.
        if line.strip() and "is not executable" not in line
    ]
    assert complaints == [], process.stderr


def test_the_cron_line_crawls_daily_from_the_checkout_with_the_env_file():
    lines = (DEPLOY / "cron.example").read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if line.strip() and not line.startswith("#")]
    assert len(entries) == 1
    minute, hour, day, month, weekday, command = entries[0].split(None, 5)
    assert minute.isdigit() and hour.isdigit() and (day, month, weekday) == ("*", "*", "*")
    assert "%" not in command  # cron would turn it into a newline
    steps = [step.strip() for step in re.split(r"&&|\|\|", command)]
    assert steps[0] == f"cd {unit(SERVICE)['Service']['WorkingDirectory']}"
    assert any(step.startswith(". ") and step.endswith("sxworker.env") for step in steps)
    assert any(invokes_the_crawl(step) and "LOG_FILE=" in step for step in steps)


def test_every_name_in_the_env_example_is_a_setting_read_from_the_environment():
    # The settings module reads every setting of sxworker/config.py from the environment
    # (tests/test_config.py checks that it does).
    example = (DEPLOY / "sxworker.env.example").read_text(encoding="utf-8")
    names = re.findall(r"^#?([A-Z][A-Z0-9_]+)=", example, re.M)  # commented-out ones too
    assert "SXWORKER_DB" in names and "SXWORKER_CONTACT_URL" in names
    assert [name for name in names if name not in SETTINGS] == []


def test_the_env_example_is_plain_enough_for_both_systemd_and_sh():
    for line in (DEPLOY / "sxworker.env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            assert re.fullmatch(r"[A-Z][A-Z0-9_]*=[^\s'\"$`]*", line), line


def test_logrotate_rotates_the_logs_the_schedules_write():
    config = (DEPLOY / "logrotate.conf").read_text(encoding="utf-8")
    for directive in ("weekly", "compress", "copytruncate"):
        assert re.search(rf"^\s+{directive}$", config, re.M), directive
    service_log = re.search(r"LOG_FILE=(\S+)", unit(SERVICE)["Service"]["ExecStart"]).group(1)
    cron_log = re.search(r"LOG_FILE=(\S+)", (DEPLOY / "cron.example").read_text(encoding="utf-8")).group(1)
    patterns = config.split("{")[0].split()
    workdir = unit(SERVICE)["Service"]["WorkingDirectory"]
    for log in (service_log, str(Path(workdir) / cron_log)):
        assert any(Path(log).match(pattern) for pattern in patterns), log


def test_the_readme_documents_every_exit_status_and_file():
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    for status in ("0", "1", "2", "75"):
        assert re.search(rf"^\| {status} \|", readme, re.M), status
    for path in DEPLOY.iterdir():
        if path.name != "README.md":
            assert f"`{path.name}`" in readme, path.name
