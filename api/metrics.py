"""Prometheus metrics of one worker process, served at `/metrics` in the text format.

What a dashboard of the service wants: requests by endpoint and status, GraphQL operations by
name and outcome, and how long requests take, each split by the read path that answered
(`compiled`, `mixed` or `resolved`, from `request.state.execution_path`). Operation names
come from clients, so the number of distinct names is capped: a client inventing names cannot
grow the registry (or a Prometheus server's memory) without bound.

The registry is the application's own, not prometheus_client's global one: each app (each
test's, each worker's) counts for itself. With several workers, each scrape reaches one of them.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest

MAX_OPERATION_NAMES = 200
ANONYMOUS = "anonymous"
OTHER = "other"  # every name past the cap, and anything that is not a GraphQL name
_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,63}")
# Seconds; a request over the deadline (10 s by default) lands in +Inf.
BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


@dataclass(frozen=True)
class Operation:
    """How one GraphQL operation of a request went."""

    name: str | None
    outcome: str  # ok, partial (data and errors) or error (no data)
    code: str  # the first error's extensions.code, "" when there was none


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "silkgraph_http_requests",
            "HTTP requests answered, by endpoint and status.",
            ["endpoint", "status", "path"],
            registry=self.registry,
        )
        self.operations = Counter(
            "silkgraph_graphql_operations",
            "GraphQL operations run, by operation name, outcome (ok, partial, error) and the "
            "first error's code.",
            ["operation", "outcome", "code", "path"],
            registry=self.registry,
        )
        self.duration = Histogram(
            "silkgraph_http_request_duration_seconds",
            "Time from a request's arrival to its answer's last byte, by endpoint.",
            ["endpoint", "path"],
            buckets=BUCKETS,
            registry=self.registry,
        )
        self.names: set[str] = set()

    def label_of(self, name: str | None) -> str:
        """The label an operation name is counted under: itself while the cap allows."""
        if name is None:
            return ANONYMOUS
        if name in self.names:
            return name
        if not _NAME.fullmatch(name) or len(self.names) >= MAX_OPERATION_NAMES:
            return OTHER
        self.names.add(name)
        return name

    def observe(
        self,
        endpoint: str,
        status: int,
        seconds: float,
        path: str,
        operations: Iterable[Operation],
    ) -> None:
        self.requests.labels(endpoint, str(status), path).inc()
        self.duration.labels(endpoint, path).observe(seconds)
        for operation in operations:
            name = self.label_of(operation.name)
            self.operations.labels(name, operation.outcome, operation.code, path).inc()

    def router(self) -> APIRouter:
        router = APIRouter()

        @router.get("/metrics", include_in_schema=False)
        async def metrics() -> Response:
            return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)

        return router
