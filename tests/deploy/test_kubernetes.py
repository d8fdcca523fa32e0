"""deploy/kubernetes: valid against the Kubernetes JSON schemas, and KEDA scaling each worker.

The core kinds are checked by ``kubernetes-validate`` (the schemas ship in the wheel, no network),
strictly: unknown fields fail. No schema ships for KEDA's CRDs, so ScaledObject and
TriggerAuthentication are checked against the fields the KEDA CRDs and redis-streams scaler require.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from storywire.services.runtime.streams import StreamNames
from tests.deploy.conftest import KUBERNETES, STAGES, of_kind

#: Oldest Kubernetes still commonly run, and the newest the package knows.
K8S_VERSIONS = ("1.29.0", kubernetes_validate.utils.latest_version())
NAMES = StreamNames()
INPUT_STREAM = {"cleaner": NAMES.raw, "dedup": NAMES.clean, "summarizer": NAMES.assigned}

_NAME = {"type": "string", "minLength": 1}
SCALED_OBJECT = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "keda.sh/v1alpha1"},
        "spec": {
            "type": "object",
            "required": ["scaleTargetRef", "triggers"],
            "properties": {
                "scaleTargetRef": {"type": "object", "required": ["name"], "properties": {"name": _NAME}},
                "minReplicaCount": {"type": "integer", "minimum": 0},
                "maxReplicaCount": {"type": "integer", "minimum": 1},
                "pollingInterval": {"type": "integer", "minimum": 1},
                "cooldownPeriod": {"type": "integer", "minimum": 0},
                "triggers": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["type", "metadata"],
                        "properties": {
                            "type": {"const": "redis-streams"},
                            # KEDA's metadata values are strings, numbers included.
                            "metadata": {
                                "type": "object",
                                "required": ["stream", "consumerGroup", "pendingEntriesCount"],
                                "additionalProperties": {"type": "string"},
                                "properties": {"pendingEntriesCount": {"pattern": "^[1-9][0-9]*$"}},
                            },
                            "authenticationRef": {"type": "object", "required": ["name"]},
                        },
                    },
                },
            },
        },
    },
}
TRIGGER_AUTHENTICATION = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "keda.sh/v1alpha1"},
        "spec": {
            "type": "object",
            "required": ["secretTargetRef"],
            "properties": {
                "secretTargetRef": {
                    "type": "array",
                    "minItems": 1,
                    "items": {
                        "type": "object",
                        "required": ["parameter", "name", "key"],
                        "additionalProperties": False,
                        "properties": {
                            # The redis-streams scaler's authentication parameters.
                            "parameter": {
                                "enum": [
                                    "address",
                                    "host",
                                    "port",
                                    "username",
                                    "password",
                                    "tls",
                                    "ca",
                                    "cert",
                                    "key",
                                    "keyPassword",
                                ]
                            },
                            "name": _NAME,
                            "key": _NAME,
                        },
                    },
                }
            },
        },
    },
}


def deployment(docs: list[dict[str, Any]], stage: str) -> dict[str, Any]:
    return of_kind(docs, "Deployment")[f"storywire-{stage}"]


def container(docs: list[dict[str, Any]], stage: str) -> dict[str, Any]:
    (only,) = deployment(docs, stage)["spec"]["template"]["spec"]["containers"]
    return dict(only)


def test_the_kustomization_renders_every_manifest_of_the_folder(kustomized: list[dict[str, Any]]) -> None:
    listed = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text())["resources"]
    on_disk = sorted(p.name for p in KUBERNETES.glob("*.yaml") if p.name != "kustomization.yaml")
    assert sorted(listed) == on_disk
    assert {doc["metadata"].get("namespace") for doc in kustomized if doc["kind"] != "Namespace"} == {"storywire"}


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_every_core_resource_is_valid_against_the_kubernetes_schemas(
    kustomized: list[dict[str, Any]], version: str
) -> None:
    core = [doc for doc in kustomized if not doc["apiVersion"].startswith("keda.sh/")]
    assert {doc["kind"] for doc in core} == {"Namespace", "ConfigMap", "Secret", "Deployment"}
    for doc in core:
        kubernetes_validate.validate(doc, version, strict=True)


def test_the_validator_rejects_an_unknown_field(kustomized: list[dict[str, Any]]) -> None:
    broken = deployment(kustomized, "cleaner")
    broken = {**broken, "spec": {**broken["spec"], "replicaz": 2}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSIONS[0], strict=True)


def test_each_worker_runs_its_stage_and_serves_http_on_8000(kustomized: list[dict[str, Any]]) -> None:
    for stage in STAGES:
        spec = container(kustomized, stage)
        assert spec["image"].split("@")[0].split(":")[0].endswith("storywire")
        assert spec["args"] == ["run", stage]
        assert {"name": "http", "containerPort": 8000, "protocol": "TCP"} in spec["ports"]
        assert "replicas" not in deployment(kustomized, stage)["spec"], "KEDA owns the replica count"


def test_liveness_asks_healthz_and_readiness_asks_readyz(kustomized: list[dict[str, Any]]) -> None:
    for stage in STAGES:
        spec = container(kustomized, stage)
        assert spec["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
        assert spec["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert spec["startupProbe"]["httpGet"]["path"] == "/healthz"


def test_requests_and_limits_are_set(kustomized: list[dict[str, Any]]) -> None:
    for stage in STAGES:
        resources = container(kustomized, stage)["resources"]
        assert {"cpu", "memory"} <= resources["requests"].keys()
        assert {"cpu", "memory"} <= resources["limits"].keys()


def test_the_grace_period_outlasts_the_whole_graceful_shutdown(kustomized: list[dict[str, Any]]) -> None:
    config = of_kind(kustomized, "ConfigMap")["storywire-config"]["data"]
    graceful = float(config["STORYWIRE_GRACEFUL_TIMEOUT_S"])
    for stage in STAGES:
        grace = deployment(kustomized, stage)["spec"]["template"]["spec"]["terminationGracePeriodSeconds"]
        assert grace > 3 * graceful  # in-flight batch, reclaim loop and maintenance each get up to it


def test_workers_run_as_non_root_on_a_read_only_root_filesystem(kustomized: list[dict[str, Any]]) -> None:
    for stage in STAGES:
        pod = deployment(kustomized, stage)["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True and pod["securityContext"]["runAsUser"] > 0
        security = container(kustomized, stage)["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False
        assert security["capabilities"]["drop"] == ["ALL"]
        assert "/tmp" in [m["mountPath"] for m in container(kustomized, stage)["volumeMounts"]]


def test_each_worker_reads_its_redis_url_from_the_secret(kustomized: list[dict[str, Any]]) -> None:
    secret = of_kind(kustomized, "Secret")["storywire-redis"]
    for stage in STAGES:
        env = {e["name"]: e for e in container(kustomized, stage)["env"]}
        ref = env["STORYWIRE_REDIS_URL"]["valueFrom"]["secretKeyRef"]
        assert ref["name"] == "storywire-redis"
        assert secret["stringData"][ref["key"]].startswith(("redis://", "rediss://"))
        assert "CHANGE-ME" in secret["stringData"][ref["key"]], "the committed Secret holds placeholders only"
        assert {"configMapRef": {"name": "storywire-config"}} in container(kustomized, stage)["envFrom"]


def test_keda_resources_have_every_field_their_crds_require(kustomized: list[dict[str, Any]]) -> None:
    scaled = of_kind(kustomized, "ScaledObject")
    auths = of_kind(kustomized, "TriggerAuthentication")
    assert scaled and auths
    for doc in scaled.values():
        jsonschema.validate(doc, SCALED_OBJECT)
    for doc in auths.values():
        jsonschema.validate(doc, TRIGGER_AUTHENTICATION)


def test_each_worker_scales_on_the_pending_entries_of_its_own_group(kustomized: list[dict[str, Any]]) -> None:
    scaled = {doc["spec"]["scaleTargetRef"]["name"]: doc for doc in of_kind(kustomized, "ScaledObject").values()}
    auths = of_kind(kustomized, "TriggerAuthentication")
    for stage in STAGES:
        spec = scaled[f"storywire-{stage}"]["spec"]
        assert 1 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
        (trigger,) = spec["triggers"]
        assert trigger["metadata"]["stream"] == INPUT_STREAM[stage]
        assert trigger["metadata"]["consumerGroup"] == stage
        assert trigger["authenticationRef"]["name"] in auths


def test_keda_takes_the_redis_address_and_password_from_the_secret(kustomized: list[dict[str, Any]]) -> None:
    secret = of_kind(kustomized, "Secret")["storywire-redis"]
    for auth in of_kind(kustomized, "TriggerAuthentication").values():
        refs = {ref["parameter"]: ref for ref in auth["spec"]["secretTargetRef"]}
        assert {"address", "password"} <= refs.keys()
        for ref in refs.values():
            assert ref["name"] == secret["metadata"]["name"] and ref["key"] in secret["stringData"]
