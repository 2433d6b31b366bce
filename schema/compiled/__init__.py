"""The compiled read path: a query's plan (`plan`), its one SQL statement (`sql`, written per
back end by `dialect`), and the extension that serves it before the resolvers would
(`extension`)."""
