"""What every resolver of one request can reach: settings, sessions and that request's loaders."""

from dataclasses import dataclass

from strawberry.fastapi import BaseContext
from strawberry.types import Info as StrawberryInfo

from api.db import SessionFactory, SingleRead
from api.settings import Settings
from schema.loaders import Loaders


@dataclass
class Context(BaseContext):
    settings: Settings
    sessions: SessionFactory
    loaders: Loaders
    # The X-Request-ID of this request, quoted in server-side errors and in the log.
    request_id: str | None = None
    # One statement as its own snapshot, in one round trip (api/single_read.py): what the
    # compiled path answers with; without it, the compiled statement goes through `sessions`.
    single_read: SingleRead | None = None

    def __post_init__(self) -> None:
        super().__init__()


Info = StrawberryInfo[Context, None]
