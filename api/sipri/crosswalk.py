"""The curated tables that say who and what SIPRI's names are, kept as CSV files in the repo.

- `actors.csv`: each SIPRI actor spelling -> a state (ISO 3166-1 code, or silkgraph's own), a
  historic state (ISO 3166-3 code where one exists, else silkgraph's own), an organisation
  (acronym), a non-state actor (a key), or unknown. Never a guessed country.
- `weapon_categories.csv`: each SIPRI weapon description -> a weapon category.
- `same_deals.csv`: deals the paper and SIPRI both describe (paper key <-> SIPRI key).
- `no_counterpart.csv`: the paper's deals checked against SIPRI and found in no release, each
  with the reason, so that a missing link is a reviewed finding rather than an oversight.
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, field_validator, model_validator

from api.crosswalk_csv import CrosswalkError, CrosswalkRow, read_table
from api.models.enums import OrganisationKind, WeaponCategory
from api.settings import PROJECT_ROOT

SIPRI_DIR = PROJECT_ROOT / "fixtures" / "sipri"
ACTORS_FILE = SIPRI_DIR / "actors.csv"
WEAPON_CATEGORIES_FILE = SIPRI_DIR / "weapon_categories.csv"
SAME_DEALS_FILE = SIPRI_DIR / "same_deals.csv"
NO_COUNTERPART_FILE = SIPRI_DIR / "no_counterpart.csv"


class ActorKind(StrEnum):
    STATE = "state"
    HISTORIC_STATE = "historic_state"
    ORGANISATION = "organisation"
    NON_STATE_ACTOR = "non_state_actor"
    UNKNOWN = "unknown"


class ActorEntry(CrosswalkRow):
    """One SIPRI spelling and who it stands for."""

    sipri_name: str = Field(min_length=1)
    kind: ActorKind
    code: str = ""  # state code, organisation acronym or non-state actor key
    name: str = ""  # for records the import may have to create
    country: str = Field(default="", pattern=r"^([A-Z]{3})?$")
    organisation_kind: OrganisationKind | None = None
    note: str = ""

    @field_validator("organisation_kind", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return value or None

    @model_validator(mode="after")
    def _code_fits_kind(self) -> "ActorEntry":
        if self.kind is ActorKind.UNKNOWN:
            if self.code:
                raise ValueError("an unknown actor has no code")
        elif not self.code:
            raise ValueError(f"a {self.kind.value} needs a code")
        if self.kind in (ActorKind.STATE, ActorKind.HISTORIC_STATE):
            if len(self.code) != 3 or not self.code.isalpha() or not self.code.isupper():
                raise ValueError(f"state code must be three capital letters, got {self.code!r}")
        if self.kind is ActorKind.HISTORIC_STATE and not self.name:
            raise ValueError("a historic state needs a name")
        if self.kind is ActorKind.ORGANISATION and not (self.name and self.organisation_kind):
            raise ValueError("an organisation needs a name and an organisation_kind")
        if self.kind is ActorKind.NON_STATE_ACTOR and not self.name:
            raise ValueError("a non-state actor needs a name")
        if self.country and self.kind is not ActorKind.NON_STATE_ACTOR:
            raise ValueError("only a non-state actor has a country")
        return self


class WeaponCategoryEntry(CrosswalkRow):
    weapon_description: str = Field(min_length=1)
    category: WeaponCategory


class SameDeal(CrosswalkRow):
    """The paper's record of a deal and SIPRI's record of the same deal."""

    paper_key: str = Field(min_length=1)
    sipri_key: str = Field(pattern=r"^sipri:")
    note: str = ""


class NoCounterpart(CrosswalkRow):
    """A paper deal that no SIPRI release checked describes, and why."""

    paper_key: str = Field(min_length=1)
    reason: str = Field(min_length=1)


@lru_cache(maxsize=8192)
def normalise_description(description: str) -> str:
    """Lower case, single spaces: `Armed  UAV` and `armed UAV` are one description."""
    return " ".join(description.lower().split())


@dataclass(frozen=True)
class Crosswalk:
    """All three tables, indexed the way the importer looks them up."""

    actors: dict[str, ActorEntry]
    weapon_categories: dict[str, WeaponCategory]  # by lower-cased description
    same_deals: tuple[SameDeal, ...]
    no_counterpart: tuple[NoCounterpart, ...] = ()

    def category(self, description: str) -> WeaponCategory | None:
        """A description's category, whatever its case or spacing; None when unlisted."""
        return self.weapon_categories.get(normalise_description(description))

    @classmethod
    def load(
        cls,
        actors: Path = ACTORS_FILE,
        weapon_categories: Path = WEAPON_CATEGORIES_FILE,
        same_deals: Path = SAME_DEALS_FILE,
        no_counterpart: Path = NO_COUNTERPART_FILE,
    ) -> "Crosswalk":
        problems: list[str] = []
        by_name: dict[str, ActorEntry] = {}
        by_description: dict[str, WeaponCategory] = {}
        deals: list[SameDeal] = []
        try:
            for _line, entry in read_table(actors, ActorEntry):
                if entry.sipri_name in by_name:
                    problems.append(f"{actors}: {entry.sipri_name!r} is listed twice")
                by_name[entry.sipri_name] = entry
        except CrosswalkError as error:
            problems.extend(error.problems)
        try:
            for _line, category in read_table(weapon_categories, WeaponCategoryEntry):
                by_description[normalise_description(category.weapon_description)] = (
                    category.category
                )
        except CrosswalkError as error:
            problems.extend(error.problems)
        try:
            deals = [deal for _line, deal in read_table(same_deals, SameDeal)]
        except CrosswalkError as error:
            problems.extend(error.problems)
        absent: list[NoCounterpart] = []
        try:
            absent = [entry for _line, entry in read_table(no_counterpart, NoCounterpart)]
        except CrosswalkError as error:
            problems.extend(error.problems)
        linked = {deal.paper_key for deal in deals}
        problems.extend(
            f"{no_counterpart}: {entry.paper_key!r} is also linked in {same_deals.name}"
            for entry in absent
            if entry.paper_key in linked
        )
        if problems:
            raise CrosswalkError(problems)
        return cls(by_name, by_description, tuple(deals), tuple(absent))
