"""Evidence coverage: which paragraphs of the paper no record cites, through GraphQL."""

import httpx

from tests.graphql import data_of

COVERAGE = """
query ($key: String!) {
  document(key: $key) {
    key hasFullText
    coverage { cited total share uncited { number section text } }
  }
}
"""

# Paragraphs of pure argument or summary, which state no fact a record could hold.
ARGUMENT_ONLY = [4, 26, 38]


async def test_every_fact_stating_paragraph_of_the_paper_is_cited(
    client: httpx.AsyncClient,
) -> None:
    document = (await data_of(client, COVERAGE, {"key": "paper"}))["document"]

    coverage = document["coverage"]
    assert coverage["total"] == 38
    assert [p["number"] for p in coverage["uncited"]] == ARGUMENT_ONLY
    assert coverage["cited"] == 35
    assert round(coverage["share"], 3) == 0.921
    assert coverage["uncited"][0]["section"] == "Introduction"
    assert coverage["uncited"][0]["text"].startswith("Turkey’s current turn to Central Asia")


async def test_a_document_without_text_has_no_coverage(client: httpx.AsyncClient) -> None:
    document = (await data_of(client, COVERAGE, {"key": "iso-3166-1"}))["document"]

    assert (document["hasFullText"], document["coverage"]) == (False, None)


async def test_unknown_document_is_null(client: httpx.AsyncClient) -> None:
    assert (await data_of(client, COVERAGE, {"key": "nope"}))["document"] is None
