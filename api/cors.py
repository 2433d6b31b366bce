"""Which browser pages may call the API: a frontend under development on this machine, and
the origins the operator names.

In development (the default) any page served from `localhost`, `127.0.0.1` or `[::1]`, on any
port and over http or https, may call the API, so `npm run dev` on :3000 or :5173 works on its
first request; in production only `cors_origins` may. Every other origin gets no
`Access-Control-Allow-Origin`, which is how a browser is told no.
"""

from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.settings import Settings

# Matched against the whole Origin header; a port is digits only, so `localhost.evil.example`
# and `localhost:3000@evil.example` do not pass.
LOCAL_ORIGINS = r"https?://(localhost|127\.0\.0\.1|\[::1\])(:[0-9]{1,5})?"


def cors_options(settings: Settings) -> dict[str, Any]:
    """CORSMiddleware's arguments for `settings`: the app's middleware and the front door
    (`api.front_door`, which marks its answers with the same middleware's own code) agree."""
    return {
        "allow_origins": settings.cors_origins,
        "allow_origin_regex": LOCAL_ORIGINS if settings.environment == "development" else None,
        "allow_methods": ["GET", "POST"],
        "allow_headers": ["Content-Type", "Accept", "X-API-Key", "X-Request-ID"],
        "expose_headers": ["X-Request-ID", "Retry-After"],
        # Preflights are repeated for every new request shape; let browsers keep them an hour.
        "max_age": 3600,
    }


def add_cors(app: FastAPI, settings: Settings) -> None:
    """Answer preflights and mark responses for the origins `settings` allow."""
    app.add_middleware(CORSMiddleware, **cors_options(settings))
