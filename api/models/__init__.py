"""The SQLModel tables; importing this package registers every table on `SQLModel.metadata`."""

from api.models.agreement import Agreement, AgreementParty
from api.models.arms_transfer import ArmsTransfer
from api.models.company import Company
from api.models.membership import Membership
from api.models.organisation import Organisation, OrganisationName
from api.models.search import SearchEntry
from api.models.source import CITED_TABLES, Citation, Document
from api.models.state import State

__all__ = [
    "CITED_TABLES",
    "Agreement",
    "AgreementParty",
    "ArmsTransfer",
    "Citation",
    "Company",
    "Document",
    "Membership",
    "Organisation",
    "OrganisationName",
    "SearchEntry",
    "State",
]
