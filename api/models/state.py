"""States: ISO 3166 countries as reference data, plus entities the ISO list lacks."""

from sqlalchemy import JSON, Column, String
from sqlmodel import Field, SQLModel

from api.models.enums import CodeAssignment


class State(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, min_length=3, max_length=3)  # upper-case alpha-3
    code_assignment: CodeAssignment = Field(default=CodeAssignment.ISO_3166_1, sa_type=String(20))
    alpha2: str | None = Field(default=None, max_length=2)
    numeric: str | None = Field(default=None, max_length=3)
    name: str = Field(index=True)
    official_name: str | None = None
    aliases: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    region: str | None = Field(default=None, index=True)  # UN M49 sub-region
    continent: str | None = None
    recognition_note: str | None = None
