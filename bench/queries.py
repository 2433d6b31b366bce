"""The benchmark's query set: queries a–d as silkgraph and PostGraphile ask them, the README's
example queries, the data they are asked about, and how to tell that two answers agree.

a: one state with its memberships and their organisations; b: a page of 50 transfers to one
recipient with supplier and recipient, newest first; c: 20 organisations → members → state →
its 10 latest transfers received → supplier; d: transfer counts per supplier for one
recipient. PostGraphile's texts are the same questions in its schema over the same tables
(`bench/postgraphile/`), each answered from the same rows in the same order; `answer()`
reduces either server's response to the same plain value, so the harness can check that both
servers return the same thing before it times them.
"""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlmodel import col

from api import models
from api.db import create_session_factory, engine_scope
from api.settings import get_settings
from bench.common import example_queries

# c's organisations: a kind whose first 20 (by acronym) are mostly synthetic alliances with
# realistic member lists; the first page of all organisations holds the paper's formats,
# with a handful of members each.
ORGANISATION_KIND = "MILITARY_ALLIANCE"

Json = Any


@dataclass(frozen=True)
class Parameters:
    """What the queries ask about, chosen from the data set so they have rows to return."""

    state: str  # a: the state with the most memberships
    recipient: str  # b, d: the state receiving the most transfers
    recipient_transfers: int
    state_memberships: int
    state_codes: Mapping[int, str] = field(default_factory=dict)  # id → code, for d's answers


@dataclass(frozen=True)
class Query:
    """One benchmark query: its text and variables per server, and its reading depth."""

    name: str
    title: str
    silkgraph: str
    variables: Callable[[Parameters], dict[str, Any]]
    # Nesting levels that read the database; the target is at most depth + 1 statements.
    depth: int | None = None
    postgraphile: str | None = None
    postgraphile_variables: Callable[[Parameters], dict[str, Any]] | None = None
    answer: Callable[[Json, Parameters], Json] | None = None
    postgraphile_answer: Callable[[Json, Parameters], Json] | None = None


def _sorted(items: Any) -> list[Json]:
    """Items in a canonical order (they may hold nulls, which do not compare)."""
    return sorted(items, key=lambda item: json.dumps(item))


def _edges(connection: Json) -> list[Json]:
    return [edge["node"] for edge in connection["edges"]]


def _code(state: Json | None) -> str | None:
    return None if state is None else state["code"]


# -- a ------------------------------------------------------------------------------------

A = """query StateMemberships($code: String!) {
  state(code: $code) {
    code name
    memberships { role since until organisation { acronym name kind } }
  }
}"""

A_POSTGRAPHILE = """query StateMemberships($code: String!) {
  stateByCode(code: $code) {
    code name
    membershipsByMemberStateId {
      nodes { role sinceYear untilYear organisationByOrganisationId { acronym name kind } }
    }
  }
}"""


def _a(data: Json, _: Parameters) -> Json:
    state = data["state"]
    seats = _sorted(
        [m["role"], m["since"], m["until"], *m["organisation"].values()]
        for m in state["memberships"]
    )
    return [state["code"], state["name"], seats]


def _a_postgraphile(data: Json, _: Parameters) -> Json:
    state = data["stateByCode"]
    seats = _sorted(
        [
            m["role"],
            m["sinceYear"],
            m["untilYear"],
            *m["organisationByOrganisationId"].values(),
        ]
        for m in state["membershipsByMemberStateId"]["nodes"]
    )
    return [state["code"], state["name"], seats]


# -- b ------------------------------------------------------------------------------------

B = """query RecipientPage($recipient: String!) {
  armsTransfers(first: 50, filter: { recipient: $recipient }) {
    edges { node {
      key orderYear weaponDesignation status numberOrdered numberDelivered
      supplier { code name } recipient { code name }
    } }
  }
}"""

B_POSTGRAPHILE = """query RecipientPage($recipient: String!) {
  stateByCode(code: $recipient) {
    armsTransfersByRecipientId(first: 50, orderBy: [NEWEST_DESC, ROW_ID_ASC]) {
      edges { node {
        key orderYear weaponDesignation status numberOrdered numberDelivered
        stateBySupplierId { code name } stateByRecipientId { code name }
      } }
    }
  }
}"""

_TRANSFER = ("key", "orderYear", "weaponDesignation", "status", "numberOrdered", "numberDelivered")


def _b(data: Json, _: Parameters) -> Json:
    return [
        [*(t[f] for f in _TRANSFER), _code(t["supplier"]), _code(t["recipient"])]
        for t in _edges(data["armsTransfers"])
    ]


def _b_postgraphile(data: Json, _: Parameters) -> Json:
    return [
        [*(t[f] for f in _TRANSFER), _code(t["stateBySupplierId"]), _code(t["stateByRecipientId"])]
        for t in _edges(data["stateByCode"]["armsTransfersByRecipientId"])
    ]


# -- c ------------------------------------------------------------------------------------

C = """query OrganisationsMembersImports($kind: OrganisationKind!) {
  organisations(first: 20, filter: { kind: $kind }) {
    edges { node {
      acronym name
      members {
        role
        member { ... on State {
          code name
          armsImports(first: 10) { edges { node { key orderYear supplier { code name } } } }
        } }
      }
    } }
  }
}"""

C_POSTGRAPHILE = """query OrganisationsMembersImports($kind: String!) {
  allOrganisations(
    first: 20, condition: { kind: $kind }, orderBy: [ACRONYM_ORDER_ASC, ROW_ID_ASC]
  ) {
    edges { node {
      acronym name
      membershipsByOrganisationId { nodes {
        role
        stateByMemberStateId {
          code name
          armsTransfersByRecipientId(first: 10, orderBy: [NEWEST_DESC, ROW_ID_ASC]) {
            edges { node { key orderYear stateBySupplierId { code name } } }
          }
        }
      } }
    } }
  }
}"""


def _imports(transfers: list[Json], supplier: str) -> list[Json]:
    return [[t["key"], t["orderYear"], _code(t[supplier])] for t in transfers]


def _c(data: Json, _: Parameters) -> Json:
    organisations = []
    for organisation in _edges(data["organisations"]):
        members = _sorted(
            [
                m["role"],
                m["member"].get("code"),
                _imports(_edges(m["member"]["armsImports"]), "supplier")
                if "armsImports" in m["member"]
                else [],
            ]
            for m in organisation["members"]
        )
        organisations.append([organisation["acronym"], organisation["name"], members])
    return organisations


def _c_postgraphile(data: Json, _: Parameters) -> Json:
    organisations = []
    for organisation in _edges(data["allOrganisations"]):
        members = []
        for m in organisation["membershipsByOrganisationId"]["nodes"]:
            state = m["stateByMemberStateId"]
            imports = (
                _imports(_edges(state["armsTransfersByRecipientId"]), "stateBySupplierId")
                if state
                else []
            )
            members.append([m["role"], _code(state), imports])
        organisations.append([organisation["acronym"], organisation["name"], _sorted(members)])
    return organisations


# -- d ------------------------------------------------------------------------------------

D = """query SuppliersOfRecipient($recipient: String!) {
  armsTransferStats(groupBy: [SUPPLIER], filter: { recipient: $recipient }) {
    buckets { supplier { code } count }
  }
}"""

# PostGraphile's aggregates plugin groups by the supplier_id column: its answer names
# suppliers by row id (`keys`), which the comparison maps to codes.
D_POSTGRAPHILE = """query SuppliersOfRecipient($recipient: String!) {
  stateByCode(code: $recipient) {
    armsTransfersByRecipientId {
      groupedAggregates(groupBy: [SUPPLIER_ID]) { keys distinctCount { rowId } }
    }
  }
}"""


def _d(data: Json, _: Parameters) -> Json:
    return _sorted([_code(b["supplier"]), b["count"]] for b in data["armsTransferStats"]["buckets"])


def _d_postgraphile(data: Json, parameters: Parameters) -> Json:
    groups = data["stateByCode"]["armsTransfersByRecipientId"]["groupedAggregates"]

    def code(key: str | None) -> str | None:
        return None if key is None else parameters.state_codes.get(int(key), key)

    return _sorted([code(g["keys"][0]), int(g["distinctCount"]["rowId"])] for g in groups)


BENCHMARK = (
    Query(
        "a",
        "a state, its memberships and their organisations",
        A,
        lambda p: {"code": p.state},
        depth=3,
        postgraphile=A_POSTGRAPHILE,
        answer=_a,
        postgraphile_answer=_a_postgraphile,
    ),
    Query(
        "b",
        "50 transfers to one recipient, newest first, with supplier and recipient",
        B,
        lambda p: {"recipient": p.recipient},
        depth=2,
        postgraphile=B_POSTGRAPHILE,
        answer=_b,
        postgraphile_answer=_b_postgraphile,
    ),
    Query(
        "c",
        "20 organisations → members → state → 10 latest transfers received → supplier",
        C,
        lambda p: {"kind": ORGANISATION_KIND},
        depth=5,
        postgraphile=C_POSTGRAPHILE,
        answer=_c,
        postgraphile_answer=_c_postgraphile,
    ),
    Query(
        "d",
        "transfer counts per supplier for one recipient",
        D,
        lambda p: {"recipient": p.recipient},
        depth=2,
        postgraphile=D_POSTGRAPHILE,
        answer=_d,
        postgraphile_answer=_d_postgraphile,
    ),
)


def query_set(*, examples: bool = True) -> list[Query]:
    """Queries a–d, then the README's example queries (silkgraph only)."""
    queries = list(BENCHMARK)
    if examples:
        queries += [
            Query(f"example {name}", f"schema/examples/{name}.graphql", text, lambda p: {})
            for name, text in example_queries().items()
        ]
    return queries


async def choose_parameters(database_url: str) -> Parameters:
    """The busiest recipient and the state with the most memberships, from the data itself."""
    settings = get_settings().model_copy(update={"database_url": database_url})
    async with engine_scope(settings) as engine, create_session_factory(engine)() as session:
        count = func.count().label("n")
        recipient = (
            await session.execute(
                select(col(models.State.code), count)
                .join(models.ArmsTransfer, col(models.ArmsTransfer.recipient_id) == models.State.id)
                .group_by(col(models.State.code))
                .order_by(count.desc(), col(models.State.code))
                .limit(1)
            )
        ).one()
        member = (
            await session.execute(
                select(col(models.State.code), count)
                .join(models.Membership, col(models.Membership.member_state_id) == models.State.id)
                .group_by(col(models.State.code))
                .order_by(count.desc(), col(models.State.code))
                .limit(1)
            )
        ).one()
        codes = (await session.execute(select(col(models.State.id), col(models.State.code)))).all()
    return Parameters(
        state=str(member[0]),
        recipient=str(recipient[0]),
        recipient_transfers=int(recipient[1]),
        state_memberships=int(member[1]),
        state_codes={int(k): str(v) for k, v in codes if k is not None},
    )
