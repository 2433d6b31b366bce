"""The pages in a real browser (headless Chromium) with every other host blocked: GraphiQL,
/docs and /redoc render and work, and the explorer draws what the API answers."""

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser import offline_page
from tests.live import live_server

NETWORK = """query ($center: String!) {
  network(center: $center, depth: 1, maxNodes: 400) {
    nodes { id label } edges { record }
  }
}"""
ACTOR = """query ($code: String!) {
  state(code: $code) {
    timeline { title item { ... on Cited { sources { quote } } } }
    memberships { id }
    armsSupplierDiversification { suppliers { supplier { name } } }
  }
}"""
# Pixels painted on the graph's canvases (cytoscape.js draws there, not in the DOM).
PAINTED = """() => [...document.querySelectorAll('#graph canvas')].reduce((sum, canvas) => {
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let painted = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
  return sum + painted;
}, 0)"""


def _ask(base: str, query: str, **variables: Any) -> dict[str, Any]:
    answer = httpx.post(f"{base}/graphql", json={"query": query, "variables": variables}).json()
    assert "errors" not in answer, answer
    data: dict[str, Any] = answer["data"]
    return data


@pytest.mark.slow
def test_graphiql_and_the_openapi_pages_work_offline(database_url: str, tmp_path: Path) -> None:
    with live_server(database_url, log=tmp_path / "server.log") as base, offline_page() as b:
        page = b.page
        page.goto(f"{base}/graphql")
        page.wait_for_selector(".graphiql-container")
        editor = page.locator(".graphiql-query-editor")
        assert 'organisation(acronym: "ots")' in editor.inner_text()
        logo = page.locator(".silkgraph-logo a")
        assert logo.evaluate_all("links => links.map(a => a.getAttribute('href'))") == [
            "/",
            "/graphql/schema.graphql",
            "/explore",
            "/docs",
        ]
        page.locator(".graphiql-execute-button").click()
        page.wait_for_function(
            "() => document.querySelector('.result-window')"
            "?.innerText.includes('Organization of Turkic States')"
        )
        assert '"code": "KGZ"' in page.locator(".result-window").inner_text()
        page.get_by_label("Show GraphiQL Explorer").click()
        page.wait_for_selector(".graphiql-explorer-root")

        page.goto(f"{base}/docs")
        page.wait_for_selector(".swagger-ui .info .title")
        assert "silkgraph" in page.locator(".swagger-ui .info .title").inner_text()
        assert page.locator(".opblock-summary-path").count() >= 14

        page.goto(f"{base}/redoc")
        page.locator("h2", has_text="Stream arms-transfers as CSV or NDJSON").wait_for()

        page.goto(f"{base}/")
        page.get_by_role("link", name="kyrgyzstan-drones").click()
        page.wait_for_selector(".graphiql-container")
        assert 'recipient: "KGZ"' in page.locator(".graphiql-query-editor").inner_text()
        page.goto(f"{base}/")
        page.get_by_role("link", name="The explorer").click()
        page.wait_for_url(f"{base}/explore")

        assert b.blocked == []
        # Redoc asks for Redocly's logo from their CDN; the page's policy refuses it.
        assert [e for e in b.console_errors if "cdn.redoc.ly/redoc/logo-mini.svg" not in e] == []


@pytest.mark.slow
def test_explorer_draws_network_timeline_memberships_suppliers_and_quotes(
    database_url: str, tmp_path: Path
) -> None:
    with live_server(database_url, log=tmp_path / "server.log") as base, offline_page() as b:
        network = _ask(base, NETWORK, center="KGZ")["network"]
        state = _ask(base, ACTOR, code="KGZ")["state"]
        page = b.page
        page.goto(f"{base}/explore")

        # given a search for Kyrgyzstan, picking it among the matches
        page.fill("#search", "Kyrgyzstan")
        page.click("#search-form button")
        page.locator("#results li", has_text="Kyrgyzstan").first.click()
        page.wait_for_selector("#status[data-state=ready]")

        # then the graph holds its network and is painted
        assert page.evaluate("explorer.cy.nodes().length") == len(network["nodes"])
        assert page.evaluate("explorer.cy.edges().length") == len(network["edges"])
        assert page.evaluate(PAINTED) > 5000
        assert page.inner_text("#actor-title") == "Kyrgyzstan"
        # and the side panels what the API says of it
        assert page.locator("#timeline li").count() == len(state["timeline"])
        assert page.locator("#memberships rect").count() == len(state["memberships"])
        suppliers = page.inner_text("#suppliers")
        for share in state["armsSupplierDiversification"]["suppliers"]:
            assert share["supplier"]["name"] in suppliers
        assert page.evaluate("explorer.firstPaint") > 0

        # when a timeline entry is clicked, its record opens on its quotes
        first = page.locator("#timeline .link").first
        first.click()
        page.wait_for_selector("#record blockquote")
        quotes = page.locator("#record blockquote").all_inner_texts()
        assert quotes == [s["quote"] for s in state["timeline"][0]["item"]["sources"]]

        # when a tie is clicked, the record behind it opens
        record = network["edges"][0]["record"]
        page.evaluate("() => { explorer.cy.edges()[0].emit('tap'); }")
        page.wait_for_selector(f"#record[data-id='{record}'] blockquote")

        # when an organisation is clicked, the explorer centres on it
        ots = next(n for n in network["nodes"] if n["label"] == "OTS")
        page.evaluate("id => { explorer.cy.getElementById(id).emit('tap'); }", ots["id"])
        page.wait_for_function("() => document.querySelector('#actor-title').innerText === 'OTS'")
        page.wait_for_selector("#status[data-state=ready]")
        assert page.locator("#memberships rect").count() >= 5
        assert "Only states import arms" in page.inner_text("#suppliers")
        assert f"actor={ots['id'].replace('=', '%3D')}" in page.url

        assert b.blocked == []
        assert b.console_errors == []
