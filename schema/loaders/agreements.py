"""Agreements seen from each kind of party, and the parties of each agreement."""

from sqlalchemy import func
from sqlmodel import col

from api import models
from schema.filters.base import criteria_conditions
from schema.loaders.relations import Relation
from schema.pagination import Ordering, SortKey, by_id

# Chronological; undated agreements last.
AGREEMENT_ORDER = Ordering((SortKey("date", lambda c: func.coalesce(c.date, "9999")), by_id()))
PARTY_ORDER = Ordering((SortKey("position", lambda c: c.position), by_id()))


def _agreements_by(name: str, parent: object) -> Relation:
    return Relation(
        name=name,
        model=models.Agreement,
        parent=parent,
        ordering=AGREEMENT_ORDER,
        conditions=criteria_conditions,
        link=models.AgreementParty,
        on=col(models.AgreementParty.agreement_id) == col(models.Agreement.id),
    )


AGREEMENTS_BY_PARTY_STATE_ID = _agreements_by(
    "agreements_by_party_state_id", models.AgreementParty.state_id
)
AGREEMENTS_BY_PARTY_ORGANISATION_ID = _agreements_by(
    "agreements_by_party_organisation_id", models.AgreementParty.organisation_id
)
AGREEMENTS_BY_PARTY_COMPANY_ID = _agreements_by(
    "agreements_by_party_company_id", models.AgreementParty.company_id
)
PARTIES_BY_AGREEMENT_ID = Relation(
    name="parties_by_agreement_id",
    model=models.AgreementParty,
    parent=models.AgreementParty.agreement_id,
    ordering=PARTY_ORDER,
)
