"""The SQLModel tables; importing this package registers every table on `SQLModel.metadata`."""

from api.models.agreement import Agreement, AgreementParty
from api.models.arms_transfer import ArmsTransfer
from api.models.company import Company
from api.models.corridor import Corridor, CorridorActor, CorridorLink, CorridorStop
from api.models.economic_figure import EconomicFigure
from api.models.event import Event, EventCorridor, EventOutcome, EventParticipant
from api.models.exercise import ExerciseParticipant, MilitaryExercise
from api.models.initiative import Initiative, InitiativeActor
from api.models.membership import Membership
from api.models.non_state_actor import NonStateActor
from api.models.organisation import Organisation, OrganisationName
from api.models.person import OfficeHolding, Person
from api.models.search import SearchEntry
from api.models.sipri import ArmsTransferChange, SipriExport
from api.models.source import CITED_TABLES, Citation, Document, DocumentParagraph
from api.models.state import State

__all__ = [
    "CITED_TABLES",
    "Agreement",
    "AgreementParty",
    "ArmsTransfer",
    "ArmsTransferChange",
    "Citation",
    "Company",
    "Corridor",
    "CorridorActor",
    "CorridorLink",
    "CorridorStop",
    "Document",
    "DocumentParagraph",
    "EconomicFigure",
    "Event",
    "EventCorridor",
    "EventOutcome",
    "EventParticipant",
    "ExerciseParticipant",
    "Initiative",
    "InitiativeActor",
    "Membership",
    "MilitaryExercise",
    "OfficeHolding",
    "NonStateActor",
    "Organisation",
    "OrganisationName",
    "Person",
    "SearchEntry",
    "SipriExport",
    "State",
]
