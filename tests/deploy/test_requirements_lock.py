"""requirements.lock, the image's hash-pinned dependencies, is in step with pyproject.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.deploy.conftest import PROJECT

LOCK = PROJECT / "requirements.lock"
#: The image: python:3.11-slim on Linux.
TARGET = {"sys_platform": "linux", "platform_system": "Linux", "python_version": "3.11", "os_name": "posix"}
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)")


@dataclass
class Pin:
    version: str
    hashes: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)


def lock_pins() -> dict[str, Pin]:
    pins: dict[str, Pin] = {}
    current: Pin | None = None
    for raw in LOCK.read_text().splitlines():
        line = raw.strip()
        if match := PIN.match(raw):
            current = pins.setdefault(canonicalize_name(match[1]), Pin(match[2]))
        elif current is not None and line.startswith("--hash="):
            current.hashes.append(line.removeprefix("--hash=").rstrip(" \\"))
        elif current is not None and line.startswith("#"):
            text = line.lstrip("# ").removeprefix("via").strip()
            if text:
                current.via.append(text)
    return pins


def project_requirements() -> list[Requirement]:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    requirements = [Requirement(text) for text in project["dependencies"]]
    return [r for r in requirements if r.marker is None or r.marker.evaluate(TARGET)]


def test_every_project_dependency_is_pinned_in_the_lock_at_a_version_pyproject_allows() -> None:
    pins = lock_pins()
    stale = []
    for requirement in project_requirements():
        pin = pins.get(canonicalize_name(requirement.name))
        if pin is None or not requirement.specifier.contains(pin.version, prereleases=True):
            stale.append(f"{requirement} (locked: {pin.version if pin else 'missing'})")
    assert not stale, "requirements.lock is out of date, re-run the pip-compile line at its top: " + ", ".join(stale)


def test_the_lock_has_no_direct_dependency_that_pyproject_dropped() -> None:
    wanted = {canonicalize_name(r.name) for r in project_requirements()}
    direct = {name for name, pin in lock_pins().items() if any("pyproject.toml" in via for via in pin.via)}
    assert direct == wanted


def test_every_pin_is_exact_and_carries_sha256_hashes() -> None:
    pins = lock_pins()
    assert pins
    unhashed = [name for name, pin in pins.items() if not pin.hashes]
    assert not unhashed
    assert all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for pin in pins.values() for h in pin.hashes)
    loose = [
        line
        for line in LOCK.read_text().splitlines()
        if line and not line[0].isspace() and not line.startswith("#") and not PIN.match(line)
    ]
    assert not loose, "only name==version lines (no index URLs, no -e, no ranges) belong in the lock"
