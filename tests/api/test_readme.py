"""The README's ways of calling the API work as written: its curl commands, its Python and
TypeScript programs (the latter typed by graphql-codegen from the committed SDL and compiled
with tsc) against a live `silkgraph serve`, and its Grafana panel's query and selectors.

Node and npm are needed for the TypeScript half: it skips where they are missing, except in CI
(CI=true), where .ci/run installs them.
"""

import json
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.settings import PROJECT_ROOT
from tests.graphql import data_of
from tests.live import live_server
from tests.node import npm_project, tool

README = PROJECT_ROOT / "README.md"
TS_CLIENT = PROJECT_ROOT / "tests" / "ts_client"
DOCUMENTED_BASE = "http://127.0.0.1:8000"


def blocks(language: str) -> list[str]:
    """The README's fenced code blocks in `language`, in order."""
    text = README.read_text(encoding="utf-8")
    return re.findall(rf"^```{language}\n(.*?)^```$", text, flags=re.MULTILINE | re.DOTALL)


def curl_commands() -> list[str]:
    return [
        line for block in blocks("sh") for line in block.splitlines() if line.startswith("curl ")
    ]


def _rows(output: str) -> int:
    """How many records an answer holds: CSV or NDJSON lines past the header, or the
    entries of the lists in a GraphQL answer."""
    if output.lstrip().startswith('{"data"'):
        answer = json.loads(output)
        assert "errors" not in answer, answer["errors"]
        return len(re.findall(r"\{", json.dumps(answer["data"]))) - 1
    lines = output.splitlines()
    return len(lines) - 1 if lines and not lines[0].startswith("{") else len(lines)


def test_the_readme_shows_the_examples_this_file_runs() -> None:
    commands = curl_commands()
    assert len(commands) >= 7  # three calls, four exports
    assert any("/graphql" in c and "--data " in c for c in commands)  # POST
    assert any("/graphql" in c and " -G " in c for c in commands)  # GET
    assert len(blocks("python")) == 1
    [typescript] = blocks("ts")
    assert typescript == (TS_CLIENT / "src" / "example.ts").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_curl_and_python_examples_return_rows(database_url: str, tmp_path: Path) -> None:
    curl = tool("curl", "the README's examples")
    with live_server(database_url, log=tmp_path / "server.log") as base:
        answers = {}
        for command in curl_commands():
            argv = shlex.split(command.replace(DOCUMENTED_BASE, base))
            done = subprocess.run(
                [curl, *argv[1:]], capture_output=True, text=True, timeout=60, check=True
            )
            answers[command] = done.stdout
        [program] = blocks("python")
        python = subprocess.run(
            [sys.executable, "-c", program.replace(DOCUMENTED_BASE, base)],
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )

    for command, output in answers.items():
        assert _rows(output) > 0, (command, output[:500])
    printed = [line.split("\t") for line in python.stdout.splitlines()]
    assert ["TUR", "Bayraktar TB2", "ORDERED"] in printed
    assert {supplier for supplier, *_ in printed} == {"RUS", "TUR"}
    assert len(printed) == 5


def _build(npm: str, project: Path) -> subprocess.CompletedProcess[str]:
    """graphql-codegen, then tsc, in `project`: the first failure's output, or the last's."""
    for script in ("codegen", "build"):
        done = subprocess.run(
            [npm, "run", "--silent", script],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if done.returncode != 0:
            return done
    return done


@pytest.mark.slow
def test_the_typescript_client_compiles_and_runs(database_url: str, tmp_path: Path) -> None:
    node, npm = npm_project(TS_CLIENT, ".bin/graphql-codegen", "the README's TypeScript client")

    built = _build(npm, TS_CLIENT)
    assert built.returncode == 0, built.stdout + built.stderr
    with live_server(database_url, log=tmp_path / "server.log") as base:
        ran = subprocess.run(
            [node, "dist/example.js"],
            cwd=TS_CLIENT,
            env={"PATH": str(Path(node).parent), "SILKGRAPH_URL": f"{base}/graphql"},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )

    printed = [line.split("\t") for line in ran.stdout.splitlines()]
    assert ["MEMBER", "KGZ", "Kyrgyzstan"] in printed
    assert ["OBSERVER", "ECO", "Economic Cooperation Organization"] in printed
    assert len(printed) == 9


@pytest.mark.slow
def test_the_generated_types_refuse_a_wrong_field(tmp_path: Path) -> None:
    _, npm = npm_project(TS_CLIENT, ".bin/graphql-codegen", "the README's TypeScript client")
    project = tmp_path / "client"
    shutil.copytree(TS_CLIENT, project, ignore=shutil.ignore_patterns("node_modules", "gql"))
    (project / "node_modules").symlink_to(TS_CLIENT / "node_modules")
    (project / "codegen.yml").write_text(
        (TS_CLIENT / "codegen.yml")
        .read_text()
        .replace("../../schema", str(PROJECT_ROOT / "schema"))
    )
    example = project / "src" / "example.ts"
    # An organisation has no `code`: only the State branch of the union does.
    example.write_text(
        example.read_text().replace(
            'member.__typename === "State" ? member.code : member.acronym', "member.code"
        )
    )

    built = _build(npm, project)

    assert built.returncode != 0
    assert "Property 'code' does not exist" in built.stdout + built.stderr


def _select(value: Any, selector: str) -> Any:
    for part in selector.split("."):
        value = value[part]
    return value


async def test_the_grafana_panel_finds_its_rows(client: httpx.AsyncClient) -> None:
    [panel] = [json.loads(b) for b in blocks("json") if "yesoreyeram-infinity" in b]
    [target] = panel["targets"]
    assert target["url"] == f"{DOCUMENTED_BASE}/graphql"
    assert target["url_options"]["method"] == "POST"

    answer = {"data": await data_of(client, target["url_options"]["body_graphql_query"])}

    rows = _select(answer, target["root_selector"])
    table = [[row[c["selector"]] for c in target["columns"]] for row in rows]
    assert table == [[year, count] for year, count in zip(
        range(2017, 2026), [0, 1, 1, 1, 2, 3, 4, 4, 4], strict=True
    )]  # fmt: skip
    assert panel["options"]["xField"] in [c["text"] for c in target["columns"]]


async def test_same_deal_is_empty_until_sipri_is_imported(client: httpx.AsyncClient) -> None:
    [query] = [b for b in blocks("graphql") if "sameDeal" in b]

    data = await data_of(client, query)

    deals = [edge["node"] for edge in data["armsTransfers"]["edges"]]
    assert len(deals) == 4
    assert all(deal["sameDeal"] == [] for deal in deals)
