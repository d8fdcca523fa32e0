"""Shared helpers of the deployment tests: paths, the tools pip installs, manifest loading."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from storywire.services.registry import SERVICE_NAMES

PROJECT = Path(__file__).resolve().parents[2]
DEPLOY = PROJECT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
BIN = Path(sys.executable).parent

#: Each worker and the stream its consumer group (named after it) reads, as the code names them.
STAGES = SERVICE_NAMES


def tool(name: str) -> Path:
    """A command-line tool pip installed into this virtualenv (deploy/README.md, "Validation")."""
    path = BIN / name
    assert path.exists(), f"{name} is missing: pip install the deploy test tools (deploy/README.md, 'Validation')"
    return path


def run(*args: str | Path, cwd: Path = PROJECT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run a tool, capture its output, never raise."""
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=60
    )


@pytest.fixture(scope="session")
def kustomized() -> list[dict[str, Any]]:
    """What ``kubectl apply -k deploy/kubernetes`` would send, rendered offline by kubectl's kustomize."""
    result = run(tool("kubectl"), "kustomize", KUBERNETES)
    assert result.returncode == 0, result.stderr
    return [doc for doc in yaml.safe_load_all(result.stdout) if doc]


def of_kind(docs: list[dict[str, Any]], kind: str) -> dict[str, dict[str, Any]]:
    """Resources of one kind by name."""
    return {doc["metadata"]["name"]: doc for doc in docs if doc["kind"] == kind}
