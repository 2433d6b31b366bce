"""Process-wide configuration, read once from the environment (and an optional `.env`)."""

from functools import lru_cache
from pathlib import Path

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
    default_page_size: int = Field(
        default=20, ge=1, description="Page size of a connection asked with neither first nor last."
    )
    max_page_size: int = Field(
        default=100, ge=1, description="Largest `first`/`last` a connection accepts."
    )
    db_pool_size: int = Field(default=10, ge=1, description="Postgres connection pool size.")
    sql_echo: bool = Field(default=False, description="Log every SQL statement (debugging).")


@lru_cache
def get_settings() -> Settings:
    """The settings of this process; cached so every layer sees the same values."""
    return Settings()
