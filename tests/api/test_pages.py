"""The browser pages over HTTP: every asset comes from the package, pinned and unchanged, and
no page refers to another host; the home page leads everywhere; the SDL is served."""

import html
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest

from api import vendor
from api.app import create_app
from api.pages import examples, graphiql_url
from api.settings import PROJECT_ROOT, Settings

PAGES = ["/", "/graphql", "/explore", "/docs", "/redoc"]
BASE = "http://silkgraph.test"
# Ways a page or script makes the browser load something: attributes, CSS, and the calls of
# scripts that fetch or load by URL.
_LOADING_CALLS = re.compile(
    r"""(?:fetch|importScripts|import|XMLHttpRequest\(\)\.open|\.open)\s*\(\s*(?:"GET"\s*,\s*)?"""
    r"""["'`]((?:https?:)?//[^"'`]+)""",
    re.IGNORECASE,
)
_CSS_URLS = re.compile(r"""(?:url\(\s*["']?|@import\s+["'])((?:https?:)?//[^"')\s]+)""")
_ASSIGNED_SOURCES = re.compile(
    r"""\.(?:src|href)\s*=\s*["'`]((?:https?:)?//[^"'`]+)["'`]""", re.IGNORECASE
)


class _References(HTMLParser):
    """The URLs a page loads or links to, with the tag and attribute that name them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag in {"script", "style"}
        for name, value in attrs:
            if name in {"src", "href", "action", "srcset", "poster", "data"} and value:
                self.found.append((tag, name, value))

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.inline.append(data)


def _foreign(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in {"http", "https"} or url.startswith("//")


def foreign_loads(text: str) -> list[str]:
    """Absolute URLs that a script or stylesheet would make the browser load."""
    return [
        match.group(1)
        for pattern in (_LOADING_CALLS, _CSS_URLS, _ASSIGNED_SOURCES)
        for match in pattern.finditer(text)
    ]


async def _crawl(client: httpx.AsyncClient) -> dict[str, httpx.Response]:
    """Every page and every same-host asset or page they name, fetched once."""
    seen: dict[str, httpx.Response] = {}
    pending = list(PAGES)
    while pending:
        path = pending.pop()
        if path in seen:
            continue
        response = await client.get(path, headers={"accept": "text/html"})
        seen[path] = response
        if "html" not in response.headers.get("content-type", ""):
            continue
        references = _References()
        references.feed(response.text)
        for _tag, _name, value in references.found:
            if value.startswith(("data:", "#", "mailto:")):
                continue
            url = urljoin(BASE + path, value)
            if url.startswith(BASE):
                parts = urlsplit(url)
                pending.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return seen


def test_vendored_assets_match_their_manifest() -> None:
    assert vendor.problems() == []
    manifest = (vendor.VENDOR / "MANIFEST.json").read_text()
    for package in vendor.PACKAGES:
        assert f'"folder": "{package.folder}"' in manifest


def test_the_manifest_check_finds_a_changed_missing_or_unlisted_file(tmp_path: Path) -> None:
    copy = tmp_path / "vendor"
    shutil.copytree(vendor.VENDOR, copy)
    react = copy / "react@18.2.0"
    (react / "react.production.min.js").write_text("/* changed */")
    (react / "LICENSE").unlink()
    (react / "extra.js").write_text("")

    assert vendor.problems(copy) == [
        "react@18.2.0/react.production.min.js does not match its sha256",
        "react@18.2.0/LICENSE is missing",
        "react@18.2.0/extra.js is not in the manifest",
    ]


def test_foreign_loads_are_recognised() -> None:
    assert foreign_loads('fetch("https://cdn.example/x.js")') == ["https://cdn.example/x.js"]
    assert foreign_loads("a{background:url(//cdn.example/a.png)}") == ["//cdn.example/a.png"]
    assert foreign_loads("s.src = 'https://unpkg.com/react'") == ["https://unpkg.com/react"]
    assert foreign_loads('fetch("/graphql"); createElementNS("http://www.w3.org/2000/svg")') == []


async def test_no_page_loads_or_links_anything_from_another_host(
    client: httpx.AsyncClient,
) -> None:
    crawled = await _crawl(client)

    assert {path for path in crawled if path.startswith("/static/vendor/")} >= {
        "/static/vendor/graphiql@3.8.3/graphiql.min.js",
        "/static/vendor/cytoscape@3.35.0/cytoscape.min.js",
        "/static/vendor/swagger-ui-dist@5.35.0/swagger-ui-bundle.js",
        "/static/vendor/redoc@2.5.4/redoc.standalone.js",
    }
    for path, response in crawled.items():
        assert response.status_code == 200, path
        if "html" in response.headers["content-type"]:
            # and the browser is told to refuse whatever a script would load from elsewhere
            policy = response.headers["content-security-policy"]
            assert "default-src 'self'" in policy, path
            assert "http" not in policy, path
            references = _References()
            references.feed(response.text)
            assert [ref for ref in references.found if _foreign(ref[2])] == [], path
            assert foreign_loads("\n".join(references.inline)) == [], path
        elif not path.startswith("/static/vendor/"):
            # Our own scripts and styles; the vendored ones are held to their npm releases by
            # the manifest, and the browser tests load them with other hosts blocked.
            assert foreign_loads(response.text) == [], path


async def test_home_page_leads_to_graphiql_the_explorer_the_sdl_the_exports_and_examples(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    references = _References()
    references.feed(response.text)
    hrefs = {value for tag, _, value in references.found if tag == "a"}
    assert {"/graphql", "/explore", "/graphql/schema.graphql", "/docs", "/redoc"} <= hrefs
    listed = examples()
    assert len(listed) >= 10
    for name, about, text in listed:
        assert f">{name}</a>" in response.text
        assert html.escape(about) in response.text
        assert graphiql_url(text) in hrefs
    link = graphiql_url(listed[0][2])
    query = httpx.URL(BASE + link).params["q"]
    answer = await client.post("/graphql", json={"query": query})
    assert answer.status_code == 200
    assert "errors" not in answer.json()
    # and the link opens GraphiQL in a browser, not the query's JSON answer
    opened = await client.get(link, headers={"accept": "text/html,*/*;q=0.8"})
    assert opened.headers["content-type"].startswith("text/html")
    assert "graphiql.min.js" in opened.text
    assert query == listed[0][2]


async def test_graphiql_opens_on_an_example_that_returns_rows_and_links_the_docs(
    client: httpx.AsyncClient,
) -> None:
    page = (await client.get("/graphql", headers={"accept": "text/html"})).text

    assert "unpkg" not in page
    assert "/static/vendor/graphiql@3.8.3/graphiql.min.js" in page
    assert "/static/vendor/graphiql__plugin-explorer@1.0.2/index.umd.js" in page
    (example,) = [text for name, _, text in examples() if name == "ots-members"]
    encoded = example.replace("\n", "\\n").replace('"', '\\"')
    assert encoded in page
    answer = (await client.post("/graphql", json={"query": example})).json()
    assert len(answer["data"]["organisation"]["members"]) >= 5
    script = (await client.get("/static/graphiql.js")).text
    for link in ['"/"', '"/graphql/schema.graphql"', '"/explore"', '"/docs"']:
        assert link in script


async def test_sdl_is_served_as_committed(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql/schema.graphql")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/graphql")
    assert response.text == (PROJECT_ROOT / "schema" / "schema.graphql").read_text()


async def test_without_introspection_neither_sdl_nor_graphiql_is_offered(
    settings: Settings,
) -> None:
    app = create_app(settings.model_copy(update={"introspection": False}))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        sdl = await client.get("/graphql/schema.graphql")
        home = await client.get("/")
    await app.state.engine.dispose()

    assert sdl.status_code == 404
    assert sdl.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert 'href="/graphql"' not in home.text
    assert "switched off" in home.text


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_openapi_pages_use_the_packaged_scripts(client: httpx.AsyncClient, path: str) -> None:
    page = (await client.get(path)).text

    assert "/openapi.json" in page
    assert "cdn.jsdelivr.net" not in page
    assert "fonts.googleapis.com" not in page
    assert "/static/vendor/" in page


def test_refreshing_from_the_same_tarballs_rewrites_the_same_manifest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # npm pack stood in for by tarball layouts rebuilt from the committed files.
    committed = {p.folder: p for p in vendor.PACKAGES}

    def pack(spec: str, into: Path) -> Path:
        name, _, version = spec.rpartition("@")
        unpacked = into / spec.replace("/", "_") / "package"
        if (name, version) == ("graphiql-explorer", "0.9.0"):
            source = vendor.VENDOR / "graphiql__plugin-explorer@1.0.2"
            (unpacked / "LICENSE").parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source / "LICENSE.graphiql-explorer", unpacked / "LICENSE")
            return unpacked
        (package,) = [p for p in committed.values() if (p.name, p.version) == (name, version)]
        for path in package.files:
            (unpacked / path).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(vendor.VENDOR / package.folder / Path(path).name, unpacked / path)
        return unpacked

    monkeypatch.setattr(vendor, "_pack", pack)
    vendor.refresh(tmp_path / "vendor")

    assert vendor.problems(tmp_path / "vendor") == []
    assert (tmp_path / "vendor" / "MANIFEST.json").read_text() == vendor.MANIFEST.read_text()
