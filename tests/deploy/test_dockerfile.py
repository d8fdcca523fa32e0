"""The Dockerfile: lint-clean, slim, multi-stage, non-root, hash-pinned, health-checked."""

from __future__ import annotations

import json
import re
import shlex

from tests.deploy.conftest import PROJECT, run, tool

DOCKERFILE = PROJECT / "Dockerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    logical: list[str] = []
    pending = ""
    for line in DOCKERFILE.read_text().splitlines():
        if not pending and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            pending += line.rstrip()[:-1] + " "
            continue
        logical.append(pending + line)
        pending = ""
    pairs = []
    for text in logical:
        keyword, _, rest = text.strip().partition(" ")
        pairs.append((keyword.upper(), rest.strip()))
    return pairs


def stages() -> list[list[tuple[str, str]]]:
    """Instructions grouped by build stage (a global ARG before the first FROM is its own group)."""
    groups: list[list[tuple[str, str]]] = [[]]
    for keyword, rest in instructions():
        if keyword == "FROM":
            groups.append([])
        groups[-1].append((keyword, rest))
    return groups


def arg_defaults() -> dict[str, str]:
    return dict(rest.split("=", 1) for keyword, rest in stages()[0] if keyword == "ARG" and "=" in rest)


def test_hadolint_finds_nothing_even_at_info_level() -> None:
    result = run(tool("hadolint"), "--no-color", "--failure-threshold", "info", DOCKERFILE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_stage_starts_from_a_tagged_python_311_slim_image() -> None:
    defaults = arg_defaults()
    bases = [rest.split()[0] for group in stages()[1:] for keyword, rest in group if keyword == "FROM"]
    assert len(bases) >= 2, "build and runtime stages"
    for base in bases:
        image = re.sub(r"\$\{(\w+)\}", lambda m: defaults[m[1]], base)
        name, _, tag = image.partition(":")
        assert name in {"python", "docker.io/library/python"}
        assert tag.startswith("3.11") and "slim" in tag and tag != "latest"


def test_the_runtime_stage_runs_as_a_numeric_non_root_user() -> None:
    users = [rest for keyword, rest in stages()[-1] if keyword == "USER"]
    assert users, "the final stage must switch user"
    uid = users[-1].split(":")[0]
    assert uid.isdigit() and int(uid) > 0


def test_dependencies_come_from_the_lock_with_hashes_and_the_project_without_them() -> None:
    runs = " ".join(rest for group in stages()[1:-1] for keyword, rest in group if keyword == "RUN")
    assert re.search(r"pip install[^&]*--require-hashes[^&]*-r requirements\.lock", runs)
    assert re.search(r"pip install[^&]*--no-deps[^&]* \.(\s|$)", runs)
    copies = [rest for group in stages()[1:-1] for keyword, rest in group if keyword == "COPY"]
    assert any("requirements.lock" in c for c in copies)


def test_the_runtime_stage_takes_only_the_virtualenv_from_the_build() -> None:
    final = stages()[-1]
    copies = [rest for keyword, rest in final if keyword == "COPY"]
    assert copies and all(c.startswith("--from=") for c in copies)
    assert not any(keyword == "RUN" and "pip install" in rest for keyword, rest in final)


def test_the_healthcheck_asks_healthz_with_python_urllib() -> None:
    checks = [rest for keyword, rest in stages()[-1] if keyword == "HEALTHCHECK"]
    assert len(checks) == 1
    command = json.loads(checks[0][checks[0].index("CMD") + 3 :].strip())
    assert command[:2] == ["python", "-c"]
    compile(command[2], "<healthcheck>", "exec")
    assert "urllib.request" in command[2] and "/healthz" in command[2]
    assert "curl" not in checks[0] and "wget" not in checks[0]


def test_port_8000_is_exposed_and_the_entrypoint_is_the_storywire_cli() -> None:
    final = dict(stages()[-1])
    assert "8000" in shlex.split(final["EXPOSE"])
    assert json.loads(final["ENTRYPOINT"]) == ["storywire"]
    assert json.loads(final["CMD"])[0] == "run"


def test_the_image_carries_open_container_labels() -> None:
    labels = " ".join(rest for keyword, rest in stages()[-1] if keyword == "LABEL")
    for key in ("title", "description", "version", "licenses"):
        assert f"org.opencontainers.image.{key}=" in labels
