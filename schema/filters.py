"""Filter inputs of the root connections and the SQL conditions each one stands for."""

import re
from typing import Protocol

import strawberry
from sqlalchemy import ColumnElement, exists, func, or_, select
from sqlmodel import col

from api import models
from schema.errors import bad_input
from schema.loaders.memberships import MembershipScope, membership_conditions
from schema.types.enums import MembershipRole, OrganisationKind

_STATE_CODE = re.compile(r"^[A-Za-z]{3}$")

Conditions = list[ColumnElement[bool]]


def state_code(value: str, field: str) -> str:
    """A state code as stored (upper case); anything but three letters is the caller's error."""
    value = value.strip()
    if not _STATE_CODE.match(value):
        raise bad_input(f"`{field}` must be a three-letter state code, got {value!r}", field)
    return value.upper()


def state_id_of(code: str, field: str) -> ColumnElement[int]:
    return (
        select(col(models.State.id))
        .where(col(models.State.code) == state_code(code, field))
        .scalar_subquery()
    )


@strawberry.input(description="Narrows states; all given conditions must hold.")
class StateFilter:
    region: str | None = strawberry.field(
        default=None, description="UN M49 sub-region, e.g. `Central Asia` (any case)."
    )
    codes: list[str] | None = strawberry.field(
        default=None, description="Any of these state codes (any case)."
    )

    def conditions(self) -> Conditions:
        found: Conditions = []
        if self.region is not None:
            found.append(func.lower(models.State.region) == self.region.strip().lower())
        if self.codes is not None:
            codes = [state_code(c, "filter.codes") for c in self.codes]
            found.append(col(models.State.code).in_(codes))
        return found


@strawberry.input(description="Narrows organisations; all given conditions must hold.")
class OrganisationFilter:
    kind: OrganisationKind | None = strawberry.field(default=None, description="Only this kind.")
    acronyms: list[str] | None = strawberry.field(
        default=None, description="Any of these acronyms or short names (any case)."
    )

    def conditions(self) -> Conditions:
        found: Conditions = []
        if self.kind is not None:
            found.append(col(models.Organisation.kind) == self.kind)
        if self.acronyms is not None:
            wanted = [a.strip().lower() for a in self.acronyms]
            found.append(func.lower(models.Organisation.acronym).in_(wanted))
        return found


@strawberry.input(description="Narrows memberships; all given conditions must hold.")
class MembershipFilter:
    organisation: str | None = strawberry.field(
        default=None, description="Acronym of the organisation (any case)."
    )
    member: str | None = strawberry.field(
        default=None, description="State code or organisation acronym of the member."
    )
    role: MembershipRole | None = strawberry.field(default=None, description="Only this role.")
    as_of: int | None = strawberry.field(default=None, description="Only roles held in this year.")

    def conditions(self) -> Conditions:
        found: Conditions = list(membership_conditions(MembershipScope(self.as_of, self.role)))
        if self.organisation is not None:
            found.append(
                col(models.Membership.organisation_id).in_(_organisation_ids(self.organisation))
            )
        if self.member is not None:
            by_org = col(models.Membership.member_organisation_id).in_(
                _organisation_ids(self.member)
            )
            if _STATE_CODE.match(self.member.strip()):
                by_state = col(models.Membership.member_state_id) == state_id_of(
                    self.member, "filter.member"
                )
                found.append(or_(by_state, by_org))
            else:
                found.append(by_org)
        return found


def _organisation_ids(acronym: str) -> ColumnElement[int]:
    return (
        select(col(models.Organisation.id))
        .where(func.lower(models.Organisation.acronym) == acronym.strip().lower())
        .scalar_subquery()
    )


@strawberry.input(description="Narrows agreements; all given conditions must hold.")
class AgreementFilter:
    party: str | None = strawberry.field(
        default=None,
        description="A party: state code, organisation acronym, or company name or key (any case).",
    )

    def conditions(self) -> Conditions:
        if self.party is None:
            return []
        wanted = self.party.strip()
        party = models.AgreementParty
        return [
            exists(
                select(col(party.id))
                .outerjoin(models.State, col(models.State.id) == col(party.state_id))
                .outerjoin(
                    models.Organisation,
                    col(models.Organisation.id) == col(party.organisation_id),
                )
                .outerjoin(models.Company, col(models.Company.id) == col(party.company_id))
                .where(
                    col(party.agreement_id) == col(models.Agreement.id),
                    or_(
                        col(models.State.code) == wanted.upper(),
                        func.lower(models.Organisation.acronym) == wanted.lower(),
                        func.lower(models.Company.name) == wanted.lower(),
                        col(models.Company.key) == wanted.lower(),
                    ),
                )
            )
        ]


@strawberry.input(description="Narrows arms transfers; all given conditions must hold.")
class ArmsTransferFilter:
    supplier: str | None = strawberry.field(
        default=None, description="Code of the supplying state (any case)."
    )
    recipient: str | None = strawberry.field(
        default=None, description="Code of the receiving state (any case)."
    )

    def conditions(self) -> Conditions:
        found: Conditions = []
        if self.supplier is not None:
            found.append(
                col(models.ArmsTransfer.supplier_id)
                == state_id_of(self.supplier, "filter.supplier")
            )
        if self.recipient is not None:
            found.append(
                col(models.ArmsTransfer.recipient_id)
                == state_id_of(self.recipient, "filter.recipient")
            )
        return found


class Filter(Protocol):
    def conditions(self) -> Conditions: ...


def conditions_of(filter_: Filter | None) -> tuple[ColumnElement[bool], ...]:
    """The WHERE terms of an optional filter input."""
    return tuple(filter_.conditions()) if filter_ is not None else ()
