"""The HTTP face: GraphiQL, the health check, JSON in and out."""

import gc

import httpx

from api.app import FULL_COLLECTION_THRESHOLD, create_app
from api.settings import Settings
from tests.conftest import settings_for
from tests.pg_server import free_port


async def test_health_check_answers_once_the_database_does(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


async def test_health_check_is_503_without_a_database() -> None:
    url = f"postgresql+asyncpg://nobody@127.0.0.1:{free_port()}/nothing"
    app = create_app(settings_for(url))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://silkgraph.test") as client:
        response = await client.get("/healthz")
    await app.state.engine.dispose()

    assert response.status_code == 503


async def test_graphiql_is_served_to_browsers(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"accept": "text/html"})

    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_queries_work_over_get_too(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/graphql",
        params={"query": '{ state(code: "KGZ") { name } }'},
        headers={"accept": "application/json"},
    )

    assert response.status_code == 200
    assert response.json()["data"] == {"state": {"name": "Kyrgyzstan"}}


async def test_a_started_worker_keeps_its_startup_heap_out_of_full_collections(
    settings: Settings,
) -> None:
    # given
    app = create_app(settings)
    threshold = gc.get_threshold()
    frozen = gc.get_freeze_count()  # the test session's own (tests/conftest.py)
    try:
        # when the worker starts
        async with app.router.lifespan_context(app):
            # then
            assert gc.get_freeze_count() > frozen
            assert gc.get_threshold() == (threshold[0], threshold[1], FULL_COLLECTION_THRESHOLD)
    finally:
        if not frozen:  # else the session's heap stays frozen, with this app's objects
            gc.unfreeze()
        gc.set_threshold(*threshold)
