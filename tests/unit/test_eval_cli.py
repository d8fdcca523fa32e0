"""`storywire eval` runs the checkout's harnesses, and says in one line where they run when there are none."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from storywire.services.cli import main

PROJECT = Path(__file__).resolve().parents[2]


def _forget_the_harnesses(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in sys.modules if name == "evaluation" or name.startswith("evaluation.")]:
        monkeypatch.delitem(sys.modules, name)


def test_the_storywire_script_runs_a_harness_of_the_checkout_from_another_folder(tmp_path: Path) -> None:
    # The editable install's script finds the package, not the project root: a folder holding only a
    # link to the checkout's package stands for it, and the run starts elsewhere.
    site = tmp_path / "site"
    site.mkdir()
    (site / "storywire").symlink_to(PROJECT / "storywire", target_is_directory=True)
    result = subprocess.run(
        [sys.executable, "-c", "from storywire.services.cli import main; main()", "eval", "stories", "--help"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "--furniture-half" in result.stdout


def test_without_the_harnesses_eval_says_in_one_line_where_they_run(monkeypatch: pytest.MonkeyPatch) -> None:
    _forget_the_harnesses(monkeypatch)
    monkeypatch.setitem(sys.modules, "evaluation", None)  # nothing to import, as beside an installed wheel
    result = CliRunner().invoke(main, ["eval", "stories", "--help"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: the harnesses run from a checkout of storywire (`make eval`), with the eval extra"
    ]


def test_a_harness_without_its_extra_names_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    _forget_the_harnesses(monkeypatch)
    monkeypatch.setitem(sys.modules, "rouge_score", None)  # the eval extra not installed
    result = CliRunner().invoke(main, ["eval", "summaries", "--help"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "Error: the summaries harness needs rouge_score: pip install -e '.[eval]' in the checkout"
    ]
