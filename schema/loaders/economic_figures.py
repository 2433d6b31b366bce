"""Economic figures seen from their subject (state, organisation, person) and partner."""

from sqlalchemy import func

from api import models
from schema.loaders.relations import through, union_link
from schema.pagination import Ordering, SortKey, by_id

Figure = models.EconomicFigure

# By year, figures the source does not date last, then by metric.
FIGURE_ORDER = Ordering(
    (
        SortKey("year", lambda c: func.coalesce(c.year, 9999)),
        SortKey("metric", lambda c: c.metric),
        by_id(),
    )
)

# A state's figures: those about it and those about its dealings with others.
FIGURES_BY_STATE_ID = through(
    "figures_by_state_id",
    Figure,
    union_link(
        "figure_state", (Figure.id, Figure.subject_state_id), (Figure.id, Figure.partner_state_id)
    ),
    FIGURE_ORDER,
)
FIGURES_BY_ORGANISATION_ID = through(
    "figures_by_organisation_id",
    Figure,
    union_link("figure_organisation", (Figure.id, Figure.subject_organisation_id)),
    FIGURE_ORDER,
)
FIGURES_BY_PERSON_ID = through(
    "figures_by_person_id",
    Figure,
    union_link("figure_person", (Figure.id, Figure.subject_person_id)),
    FIGURE_ORDER,
)
