"""Strawberry types, one module per entity; each maps its table rows explicitly via `from_row`."""
