// GraphiQL with the explorer plugin, opened on a silkgraph example and linking to the docs.
// Everything it loads is served by silkgraph itself (api/static/vendor).
(function () {
  "use strict";
  const h = React.createElement;
  const example = JSON.parse(document.getElementById("example-query").textContent);
  const params = new URLSearchParams(window.location.search);
  const endpoint = window.location.origin + window.location.pathname;

  // The query travels as `q`: GET /graphql?query=… runs it rather than opening GraphiQL.
  function keepInURL(name, value) {
    const next = new URLSearchParams(window.location.search);
    if (value) next.set(name, value);
    else next.delete(name);
    history.replaceState(null, "", "?" + next.toString());
  }

  const links = [
    ["/", "Home"],
    ["/graphql/schema.graphql", "Schema"],
    ["/explore", "Explorer"],
    ["/docs", "Exports"],
  ];

  function Logo() {
    return h(
      "span",
      { className: "silkgraph-logo" },
      h("strong", null, "silkgraph"),
      links.map(([href, label]) => h("a", { key: href, href: href }, label)),
    );
  }

  function App() {
    const [query, setQuery] = React.useState(params.get("q") || example);
    const [variables, setVariables] = React.useState(params.get("variables") || undefined);
    const explorer = React.useMemo(() => GraphiQLPluginExplorer.explorerPlugin(), []);
    const fetcher = React.useMemo(() => GraphiQL.createFetcher({ url: endpoint }), []);
    return h(
      GraphiQL,
      {
        fetcher: fetcher,
        plugins: [explorer],
        query: query,
        variables: variables,
        defaultEditorToolsVisibility: true,
        inputValueDeprecation: true,
        onEditQuery: (text) => { setQuery(text); keepInURL("q", text); },
        onEditVariables: (text) => { setVariables(text); keepInURL("variables", text); },
      },
      h(GraphiQL.Logo, null, h(Logo)),
    );
  }

  ReactDOM.createRoot(document.getElementById("graphiql")).render(h(App));
})();
