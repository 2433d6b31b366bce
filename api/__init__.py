"""silkgraph: a source-cited knowledge base of international relations, served over GraphQL."""
