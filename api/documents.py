"""A cited document's text cut into numbered paragraphs, so quotes can be checked and located."""

import re
from dataclasses import dataclass
from functools import cached_property

_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_WHITESPACE = re.compile(r"\s+")
INTRODUCTION = "Introduction"


def normalise_whitespace(text: str) -> str:
    """Collapse every run of whitespace to one space: the form in which quotes are compared."""
    return _WHITESPACE.sub(" ", text).strip()


@dataclass(frozen=True)
class Paragraph:
    number: int  # 1-based, counting body paragraphs only (headings are not numbered)
    section: str
    text: str  # whitespace-normalised

    @property
    def locator(self) -> str:
        return f"¶{self.number} ({self.section})"


def _is_heading(block: str) -> bool:
    # In the exported text a section heading is a block of one short line without a full stop.
    return "\n" not in block.strip() and len(block.strip()) <= 80 and block.strip()[-1] not in ".”:"


@dataclass(frozen=True)
class DocumentText:
    """The text of one document; quotes are looked up in its whitespace-normalised paragraphs."""

    raw: str

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        section = INTRODUCTION
        found: list[Paragraph] = []
        for block in _BLANK_LINE.split(self.raw):
            if not block.strip():
                continue
            if _is_heading(block):
                section = block.strip()
                continue
            found.append(Paragraph(len(found) + 1, section, normalise_whitespace(block)))
        return tuple(found)

    def locate(self, quote: str) -> Paragraph | None:
        """The first paragraph that holds `quote` verbatim (up to whitespace), if any."""
        wanted = normalise_whitespace(quote)
        return next((p for p in self.paragraphs if wanted in p.text), None)
