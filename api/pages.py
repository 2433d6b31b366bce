"""The pages a person opens in a browser: the home page, GraphiQL, the explorer, /docs and
/redoc, and the SDL, all served with scripts from the package so they work offline.

Strawberry's and FastAPI's own pages load React, GraphiQL, Swagger UI and Redoc from CDNs and
stay blank without internet access; these load the copies in `api/static/vendor/` instead
(see `api.vendor`).
"""

import html
import json
from pathlib import Path
from string import Template
from urllib.parse import quote

from fastapi import APIRouter, FastAPI, HTTPException
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.staticfiles import StaticFiles

from api.settings import Settings
from api.vendor import asset_path

STATIC = Path(__file__).parent / "static"
EXAMPLES = Path(__file__).parent.parent / "schema" / "examples"
# Opens GraphiQL: it returns rows on the data `silkgraph serve` loads by default.
FIRST_EXAMPLE = "ots-members"
_FAVICON = (
    "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 100'>"
    "<text y='.9em' font-size='80'>🧵</text></svg>"
)


# The browser itself refuses to load anything from another host, whatever a vendored script
# asks (Redoc shows Redocly's logo from their CDN, with no option to leave it out).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline'",  # the /docs and /redoc pages start inline
        "style-src 'self' 'unsafe-inline'",  # GraphiQL, Swagger UI and Redoc style inline
        "img-src 'self' data:",
        "font-src 'self' data:",
        "worker-src 'self' blob:",  # Redoc's search runs in a worker made from a blob
        "connect-src 'self'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    )
)


def html_response(page: str | HTMLResponse) -> HTMLResponse:
    """A page that may load from this server only."""
    response = page if isinstance(page, HTMLResponse) else HTMLResponse(page)
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


def _page(name: str, **values: str) -> str:
    return Template((STATIC / name).read_text(encoding="utf-8")).substitute(
        favicon=_FAVICON, **values
    )


def examples() -> list[tuple[str, str, str]]:
    """(name, what it asks, the query) of each example in schema/examples/, by name."""
    found = []
    for path in sorted(EXAMPLES.glob("*.graphql")):
        text = path.read_text(encoding="utf-8")
        comment = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
        found.append((path.stem, " ".join(comment), text))
    return found


def graphiql_url(query: str) -> str:
    """GraphiQL opened on `query`: as `q`, since GET /graphql?query=… runs the query instead."""
    return f"/graphql?q={quote(query)}"


def graphiql_html() -> str:
    """Our GraphiQL page, in place of Strawberry's (whose scripts come from unpkg)."""
    (query,) = [text for name, _, text in examples() if name == FIRST_EXAMPLE]
    return _page(
        "graphiql.html",
        react=asset_path("react", "react.production.min.js"),
        react_dom=asset_path("react-dom", "react-dom.production.min.js"),
        graphiql_js=asset_path("graphiql", "graphiql.min.js"),
        graphiql_css=asset_path("graphiql", "graphiql.min.css"),
        explorer_js=asset_path("@graphiql/plugin-explorer", "index.umd.js"),
        explorer_css=asset_path("@graphiql/plugin-explorer", "style.css"),
        # Inside a <script type="application/json">: "</" must not end the element.
        example=json.dumps(query).replace("</", "<\\/"),
    )


def _home_html(settings: Settings) -> str:
    if settings.introspection:
        items = "\n".join(
            f'<li><a href="{html.escape(graphiql_url(text))}">{html.escape(name)}</a>: '
            f"{html.escape(about)}</li>"
            for name, about, text in examples()
        )
        tools = (
            '<li><a href="/graphql">GraphiQL</a>: write and run queries, with the schema\'s '
            "documentation and a point-and-click query builder.</li>\n"
            '<li><a href="/graphql/schema.graphql">The schema (SDL)</a>: every type and '
            "field with its description; generate a typed client from it.</li>"
        )
        example_section = f"<h2>Example queries</h2>\n<ul>\n{items}\n</ul>"
    else:
        tools = "<li>GraphiQL and the schema are switched off on this server.</li>"
        example_section = ""
    return _page("home.html", tools=tools, examples=example_section)


def install_pages(app: FastAPI, settings: Settings, sdl: str) -> None:
    """Serve the pages and their assets; `app` must be made with docs_url=None, redoc_url=None
    so that these /docs and /redoc replace FastAPI's."""
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    router = APIRouter(include_in_schema=False)
    openapi_url = app.openapi_url or "/openapi.json"
    docs_title = f"{app.title} – exports and health"
    favicon = asset_path("swagger-ui-dist", "favicon-32x32.png")

    @router.get("/")
    async def home() -> HTMLResponse:
        return html_response(_home_html(settings))

    @router.get("/explore")
    async def explore() -> HTMLResponse:
        return html_response(
            _page("explore.html", cytoscape=asset_path("cytoscape", "cytoscape.min.js"))
        )

    @router.get("/graphql/schema.graphql")
    async def schema_sdl() -> PlainTextResponse:
        if not settings.introspection:
            # The SDL tells what introspection would; off means off for both.
            raise HTTPException(404, "Not Found")
        return PlainTextResponse(sdl, media_type="application/graphql; charset=utf-8")

    @router.get("/docs")
    async def swagger_ui() -> HTMLResponse:
        return html_response(
            get_swagger_ui_html(
                openapi_url=openapi_url,
                title=docs_title,
                swagger_js_url=asset_path("swagger-ui-dist", "swagger-ui-bundle.js"),
                swagger_css_url=asset_path("swagger-ui-dist", "swagger-ui.css"),
                swagger_favicon_url=favicon,
                # Swagger UI otherwise asks validator.swagger.io for a badge.
                swagger_ui_parameters={"validatorUrl": None},
            )
        )

    @router.get("/redoc")
    async def redoc() -> HTMLResponse:
        return html_response(
            get_redoc_html(
                openapi_url=openapi_url,
                title=docs_title,
                redoc_js_url=asset_path("redoc", "redoc.standalone.js"),
                redoc_favicon_url=favicon,
                with_google_fonts=False,  # they come from Google's servers
            )
        )

    app.include_router(router)
