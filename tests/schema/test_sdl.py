"""The committed SDL that frontends generate their types from must match the schema."""

from api.settings import PROJECT_ROOT, Settings
from schema import build_schema

schema = build_schema(Settings())


def test_committed_schema_is_current() -> None:
    committed = (PROJECT_ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8")

    assert committed == schema.as_str() + "\n", (
        "schema/schema.graphql is stale: run `silkgraph export-schema` and commit it"
    )


def test_every_field_and_type_is_documented() -> None:
    undocumented = []
    for type_ in schema._schema.type_map.values():
        if type_.name.startswith("__") or type_.name in {"String", "Int", "Boolean", "ID", "Float"}:
            continue
        if not type_.description:
            undocumented.append(type_.name)
        for name, field in getattr(type_, "fields", {}).items():
            if not field.description:
                undocumented.append(f"{type_.name}.{name}")

    assert undocumented == []
