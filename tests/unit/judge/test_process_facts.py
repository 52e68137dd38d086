from __future__ import annotations

from pathlib import Path

import pytest

from judge.sandbox import process
from judge.sandbox.cgroups import CgroupUsage
from judge.sandbox.process import _parse_helper, _raw_run, userns_blocker

LINE = (
    "init=0 killed=none wall_us=5123 cg_cpu_ns=42000000 status=0 cpu_us=39000 maxrss_kb=900\nerr=\n"
)


def test_keeper_cpu_reading_wins_over_the_cumulative_box_counter() -> None:
    facts = _parse_helper(LINE)
    raw = _raw_run(facts, CgroupUsage(cpu_ns=9_000_000_000, peak_bytes=2 << 20, oom_kills=0), 7)
    assert raw.cpu_ms == 42.0
    assert raw.memory_kb == 2048
    assert raw.wall_ms == 5.123
    assert raw.exit_code == 0 and not raw.oom_killed and raw.setup_error == ""


def test_without_a_cgroup_figures_come_from_the_mini_init() -> None:
    raw = _raw_run(_parse_helper(LINE.replace("cg_cpu_ns=42000000", "cg_cpu_ns=-1")), None, 0)
    assert raw.cpu_ms == 39.0
    assert raw.memory_kb == 900


def test_a_setup_error_is_kept() -> None:
    raw = _raw_run(_parse_helper(LINE.replace("err=", "err=/x/proc: EPERM")), None, 0)
    assert raw.setup_error == "/x/proc: EPERM"


@pytest.mark.parametrize(
    ("values", "blocked"),
    [
        ({"a": "1", "b": "15000"}, ""),
        ({"a": "0", "b": "15000"}, "a is 0"),
        ({"a": "1", "b": "0"}, "b is 0"),
    ],
)
def test_userns_blocker_names_the_sysctl_that_forbids_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, values: dict[str, str], blocked: str
) -> None:
    sysctls = {}
    for name, value in values.items():
        (tmp_path / name).write_text(value + "\n")
        sysctls[str(tmp_path / name)] = "0"
    sysctls[str(tmp_path / "missing")] = "1"
    monkeypatch.setattr(process, "USERNS_SYSCTLS", sysctls)
    result = userns_blocker()
    assert result == (f"{tmp_path / blocked}" if blocked else "")
