"""`silkgraph serve` on an empty database, as on a fresh clone: the paper, the bundled SIPRI
register and the COW IGO data, loaded before the first answer, with what is happening said."""

from pathlib import Path

import httpx

from tests.live import live_server

FIRST_START = """{
  organisation(acronym: "CSTO") { members(asOf: 2013, role: MEMBER) {
    member { ... on State { code } } sources { document } } }
  ots: organisation(acronym: "OTS") { members(role: MEMBER) { member { ... on State { code } } } }
  armsTransfers(filter: { supplier: "TUR", recipient: "KGZ" }) { totalCount }
  documents { key }
}"""


def test_first_start_serves_the_paper_sipri_and_cow(
    empty_database_url: str, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    # Generous: the machines CI shares are slow; the time itself is measured in bench/.
    with live_server(empty_database_url, log=log, ready_within=600) as base:
        with httpx.Client(base_url=base, timeout=60) as client:
            response = client.post("/graphql", json={"query": FIRST_START})
    data = response.json()["data"]
    codes = sorted(m["member"]["code"] for m in data["organisation"]["members"])
    assert codes == ["ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK"]
    assert len(data["ots"]["members"]) == 5
    assert data["armsTransfers"]["totalCount"] > 3  # the paper's deals and SIPRI's
    keys = {d["key"] for d in data["documents"]}
    assert {"paper", "cow-igo-3.0", "sipri-trade-register-2024-10-13"} <= keys
    output = log.read_text()
    assert "First start: importing sipri/trade-register-2024-10.csv" in output
    assert "First start: importing cow/igo_year_formatv3.csv.gz" in output
    assert "Correlates of War IGO data" in output
