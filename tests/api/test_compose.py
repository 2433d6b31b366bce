"""docker-compose.yml cannot run here (no Docker engine), so check what can be checked: every
setting it passes is one silkgraph reads, and its health checks ask what the app answers."""

import yaml

from api.settings import PROJECT_ROOT, Settings


def test_compose_passes_only_settings_silkgraph_reads() -> None:
    compose = yaml.safe_load((PROJECT_ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    environment: dict[str, str] = compose["services"]["api"]["environment"]

    known = {"DATABASE_URL"} | {f"SILKGRAPH_{name.upper()}" for name in Settings.model_fields}
    assert set(environment) <= known
    assert environment["DATABASE_URL"].startswith("postgresql+asyncpg://")
    assert "/healthz" in " ".join(compose["services"]["api"]["healthcheck"]["test"])
    assert compose["services"]["api"]["depends_on"]["db"]["condition"] == "service_healthy"
