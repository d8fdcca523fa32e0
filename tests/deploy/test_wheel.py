"""The wheel installs one import name, `storywire`, with its seeds and type information, and runs the demo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.deploy.conftest import PROJECT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # setuptools builds in the checkout's build/; one left by an earlier layout would ship stale files.
    shutil.rmtree(PROJECT / "build", ignore_errors=True)
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", str(out), str(PROJECT)],
            check=True,
            capture_output=True,
            timeout=600,
        )
    finally:
        shutil.rmtree(PROJECT / "build", ignore_errors=True)
    (built,) = out.glob("storywire-*.whl")
    return built


def test_the_wheel_installs_everything_under_the_storywire_name(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top_level == {"storywire"}
    for expected in (
        "storywire/__init__.py",
        "storywire/py.typed",
        "storywire/contracts/__init__.py",
        "storywire/services/cli/__init__.py",
        "storywire/services/board/static/index.html",
        "storywire/services/text/data/stopwords-en.txt",
        "storywire/services/summarizer/entities/data/organisations.txt",
        "storywire/seeds/000_6531704c8407b2c0.txt",
        "storywire/seeds/000_6531704c8407b2c0.meta.json",
    ):
        assert expected in names, expected
    # The quality harnesses stay in the checkout (evaluation/), with rouge-score in the eval extra.
    assert not [name for name in names if "evaluation" in name or "furniture" in name]


def test_the_installed_wheel_runs_the_demo_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    # The wheel's own files, not the checkout's: only its folder is on the path, and we run elsewhere.
    env = {**os.environ, "PYTHONPATH": str(site)}
    probe = subprocess.run(
        [sys.executable, "-c", "import storywire.contracts as c, storywire; print(c.__file__, storywire.__version__)"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert probe.stdout.startswith(str(site))
    demo = subprocess.run(
        [sys.executable, "-m", "storywire.services.cli", "demo"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert demo.returncode == 0, demo.stderr
    assert "published 2 article(s)" in demo.stderr
    assert "Story story-1: 2 article(s) from The Independent, The Kashmir Monitor" in demo.stdout


def test_outside_the_checkout_eval_says_in_one_line_where_the_harnesses_run(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    harness = subprocess.run(
        [sys.executable, "-m", "storywire.services.cli", "eval", "stories", "--help"],
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert harness.returncode == 1
    assert harness.stderr.splitlines() == [
        "Error: the harnesses run from a checkout of storywire (`make eval`), with the eval extra"
    ]
