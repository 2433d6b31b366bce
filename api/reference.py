"""Reference data from maintained packages: every ISO 3166-1 country, with its UN M49 region."""

from dataclasses import dataclass
from importlib.metadata import version

import pycountry
from countryinfo import CountryInfo

ISO_DOCUMENT_KEY = "iso-3166-1"
M49_DOCUMENT_KEY = "un-m49"


@dataclass(frozen=True)
class ReferenceDocument:
    key: str
    title: str
    publisher: str
    url: str


@dataclass(frozen=True)
class ReferenceState:
    code: str
    alpha2: str
    numeric: str
    name: str
    official_name: str | None
    region: str | None
    continent: str | None


def reference_documents() -> tuple[ReferenceDocument, ...]:
    """The works the reference states cite, naming the package version that carried them."""
    return (
        ReferenceDocument(
            ISO_DOCUMENT_KEY,
            f"ISO 3166-1 country codes (pycountry {version('pycountry')})",
            "International Organization for Standardization",
            "https://www.iso.org/iso-3166-country-codes.html",
        ),
        ReferenceDocument(
            M49_DOCUMENT_KEY,
            f"UN M49 standard country or area codes (countryinfo {version('countryinfo')})",
            "United Nations Statistics Division",
            "https://unstats.un.org/unsd/methodology/m49/",
        ),
    )


def _m49(alpha3: str) -> tuple[str | None, str | None]:
    info = CountryInfo(alpha3)
    return (info.subregion() or None, info.region() or None)


def reference_states() -> list[ReferenceState]:
    """All current ISO 3166-1 countries, with their short (common) and official names."""
    states = []
    for country in pycountry.countries:
        region, continent = _m49(country.alpha_3)
        states.append(
            ReferenceState(
                code=country.alpha_3,
                alpha2=country.alpha_2,
                numeric=country.numeric,
                name=getattr(country, "common_name", None) or country.name,
                official_name=getattr(country, "official_name", None),
                region=region,
                continent=continent,
            )
        )
    return states
