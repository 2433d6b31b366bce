"""Process-wide configuration, read once from the environment (and an optional `.env`)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every knob of the service; each field is also an environment variable `SILKGRAPH_<NAME>`."""

    model_config = SettingsConfigDict(
        env_prefix="SILKGRAPH_", env_file=".env", extra="ignore", frozen=True
    )

    database_url: str = Field(
        default=f"sqlite+aiosqlite:///{PROJECT_ROOT / 'var' / 'silkgraph.db'}",
        # The bare name is what docker-compose, Heroku-style hosts and the brief all use.
        validation_alias=AliasChoices("DATABASE_URL", "SILKGRAPH_DATABASE_URL"),
        description="SQLAlchemy async URL: sqlite+aiosqlite:///… or postgresql+asyncpg://…",
    )
    host: str = Field(default="127.0.0.1", description="Interface `serve` binds to.")
    port: int = Field(default=8000, ge=1, le=65535, description="TCP port `serve` listens on.")
    workers: int = Field(default=1, ge=1, description="uvicorn worker processes for `serve`.")
    fixtures_dir: Path = Field(
        default=PROJECT_ROOT / "fixtures",
        description="YAML fixtures loaded into an empty database on first `serve`.",
    )
    load_fixtures_when_empty: bool = Field(
        default=True, description="Load `fixtures_dir` when `serve` finds no data."
    )
    load_bundled_data: bool = Field(
        default=True,
        description="With the fixtures, also import the SIPRI register and the COW IGO data "
        "that `fixtures_dir` bundles.",
    )
    default_page_size: int = Field(
        default=20, ge=1, description="Page size of a connection asked with neither first nor last."
    )
    max_page_size: int = Field(
        default=100, ge=1, description="Largest `first`/`last` a connection accepts."
    )
    db_pool_size: int = Field(default=10, ge=1, description="Postgres connection pool size.")
    sqlite_pool_size: int = Field(
        default=4,
        ge=1,
        description="SQLite: the pool's connections per worker (resolvers and writes; compiled "
        "reads have their own threads, below), a fixed number: each holds its own page cache "
        "and a running statement's working memory, and more than the cores only add memory "
        "(docs/BENCHMARKS.md, a million transfers).",
    )
    sqlite_read_threads: int = Field(
        default=4,
        ge=1,
        description="SQLite: threads, one connection each, that run compiled reads; more than "
        "the cores, so that one long statement does not hold up the short ones behind it, and "
        "few, since each connection keeps a page cache of its own.",
    )
    sql_echo: bool = Field(default=False, description="Log every SQL statement (debugging).")

    # -- abuse limits: a public API must stay up and truthful under hostile queries --------
    max_query_depth: int = Field(
        default=12, ge=1, description="Deepest selection nesting an operation may have."
    )
    max_aliases: int = Field(default=30, ge=0, description="Most aliases in one document.")
    max_tokens: int = Field(
        default=2000, ge=1, description="Most lexical tokens in one document (parser budget)."
    )
    max_query_cost: int = Field(
        default=50_000,
        ge=1,
        description="Largest cost an operation may request: the most objects its answer can "
        "hold, counting a connection as `first`/`last` items, a plain list as `cost_list_size`.",
    )
    cost_list_size: int = Field(
        default=10, ge=1, description="Items a plain (unpaged) list is assumed to hold for cost."
    )
    max_batch_size: int = Field(
        default=10, ge=1, description="Most operations in one batched (JSON array) request."
    )
    max_json_depth: int = Field(
        default=32, ge=2, description="Deepest nesting of arrays and objects in a request's JSON."
    )
    max_body_bytes: int = Field(
        default=64 * 1024, ge=1024, description="Largest request body accepted (413 beyond)."
    )
    request_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds an operation may run before it ends with TIMEOUT; on PostgreSQL "
        "also each statement's `statement_timeout`.",
    )
    compiled_reads: bool = Field(
        default=True,
        description="Answer the queries the compiled read path covers with one SQL statement "
        "that builds the JSON (off: every query runs through the resolvers).",
    )
    front_door: bool = Field(
        default=True,
        description="Answer compiled reads the lean lane already knows before FastAPI, its "
        "middlewares and Strawberry's view (off: every request goes the whole way).",
    )
    db_connect_timeout: float = Field(
        default=2.0, gt=0, description="Seconds to wait for a new database connection."
    )
    introspection: bool = Field(
        default=True,
        description="Answer introspection (GraphiQL and codegen need it); off also hides "
        "field suggestions in error messages.",
    )
    environment: Literal["development", "production"] = Field(
        default="development",
        description="`development` lets pages served from localhost or 127.0.0.1 (any port) "
        "call the API from a browser; `production` only the `cors_origins`.",
    )
    cors_origins: list[str] = Field(
        default_factory=list,
        description='Origins browsers may call the API from, as JSON: ["https://a.example"].',
    )
    rate_limit_enabled: bool = Field(default=True, description="Rate-limit clients.")
    rate_limit_per_second: float = Field(
        default=10.0, gt=0, description="Requests a client may make per second, sustained."
    )
    rate_limit_burst: int = Field(
        default=50, ge=1, description="Requests a client may make at once (bucket size)."
    )
    persisted_query_cache_chars: int = Field(
        default=4_000_000,
        ge=0,
        description="Characters of query text the automatic persisted queries keep (least "
        "recently used out first); 0 keeps none, so every hash is answered "
        "PersistedQueryNotFound.",
    )
    metrics_enabled: bool = Field(
        default=True, description="Serve Prometheus metrics at `/metrics`."
    )
    api_keys: list[str] = Field(
        default_factory=list,
        description="Keys (sent as `X-API-Key`) that get a rate-limit bucket of their own "
        "instead of sharing their IP address's; as JSON.",
    )


@lru_cache
def get_settings() -> Settings:
    """The settings of this process; cached so every layer sees the same values."""
    return Settings()
