"""Search results: what was found, how well it matched, the passage that matched."""

from typing import Annotated, Any, Self

import strawberry

from api.models.search import SearchEntry, SearchKind
from schema.context import Info
from schema.search import Query
from schema.types.agreement import Agreement
from schema.types.arms_transfer import ArmsTransfer
from schema.types.company import Company
from schema.types.corridor import Corridor
from schema.types.economic_figure import EconomicFigure
from schema.types.event import Event
from schema.types.exercise import MilitaryExercise
from schema.types.initiative import Initiative
from schema.types.membership import Membership
from schema.types.node import RowNode
from schema.types.non_state_actor import NonStateActor
from schema.types.organisation import Organisation
from schema.types.person import Person
from schema.types.source import Document
from schema.types.state import State

strawberry.enum(SearchKind, description="The kinds of record search finds.")

SEARCH_TYPES: dict[SearchKind, type[RowNode]] = {
    SearchKind.STATE: State,
    SearchKind.ORGANISATION: Organisation,
    SearchKind.PERSON: Person,
    SearchKind.NON_STATE_ACTOR: NonStateActor,
    SearchKind.COMPANY: Company,
    SearchKind.AGREEMENT: Agreement,
    SearchKind.EVENT: Event,
    SearchKind.MILITARY_EXERCISE: MilitaryExercise,
    SearchKind.CORRIDOR: Corridor,
    SearchKind.INITIATIVE: Initiative,
    SearchKind.ARMS_TRANSFER: ArmsTransfer,
    SearchKind.MEMBERSHIP: Membership,
    SearchKind.ECONOMIC_FIGURE: EconomicFigure,
    SearchKind.DOCUMENT: Document,
}
"""The GraphQL type of each kind; a new searchable kind adds itself here and to the union."""

SearchItem = Annotated[
    State
    | Organisation
    | Person
    | NonStateActor
    | Company
    | Agreement
    | Event
    | MilitaryExercise
    | Corridor
    | Initiative
    | ArmsTransfer
    | Membership
    | EconomicFigure
    | Document,
    strawberry.union("SearchItem", description="Any record search can find."),
]


@strawberry.type(description="One record that matched a search.")
class SearchResult:
    kind: SearchKind = strawberry.field(description="What sort of record it is.")
    score: int = strawberry.field(
        description="How well it matched: per query word, 3 for a word of the title, 2 of the "
        "keywords (codes, acronyms, aliases), 1 of the body (descriptions, notes, quotes), "
        "doubled for a whole word rather than a prefix. Results come best first."
    )
    title: str = strawberry.field(description="What the record is called.")
    snippet: str = strawberry.field(
        description="The passage that matched best, the matching words marked «like this», "
        "cut short with … where the text goes on."
    )
    record_id: strawberry.Private[int]

    @classmethod
    def from_entry(cls, query: Query, entry: SearchEntry) -> Self:
        return cls(
            kind=SearchKind(entry.kind),
            score=query.score_of(entry),
            title=entry.title,
            snippet=query.snippet(entry),
            record_id=entry.record_id,
        )

    @strawberry.field(description="The record itself.")
    async def item(self, info: Info) -> SearchItem:
        type_ = SEARCH_TYPES[self.kind]
        row: Any = await info.context.loaders.by_id(type_.model).load(self.record_id)
        assert row is not None  # the index is refreshed in the transaction that writes records
        found: SearchItem = type_.from_row(row)  # type: ignore[assignment]
        return found
