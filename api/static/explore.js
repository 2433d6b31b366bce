// The explorer: an actor's network (the `network` field) drawn with cytoscape.js, beside its
// timeline, its memberships over time and its arms suppliers; every record opens on the
// quotes it rests on. Plain JS over POST /graphql, nothing loaded from another host.
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const KIND_COLOURS = {
    STATE: "#1f5fbf", ORGANISATION: "#d9822b", PERSON: "#8f3fb0",
    COMPANY: "#2b9a66", NON_STATE_ACTOR: "#b00020",
  };
  const ACTOR_KINDS = ["STATE", "ORGANISATION", "PERSON", "COMPANY", "NON_STATE_ACTOR"];

  const SEARCH = `query ExplorerSearch($text: String!, $kinds: [SearchKind!]) {
    search(text: $text, kinds: $kinds, first: 12) {
      edges { node { kind title snippet item { ... on Node { id } } } }
    }
  }`;
  const NETWORK = `query ExplorerNetwork($center: String!, $depth: Int!) {
    network(center: $center, depth: $depth, maxNodes: 400) {
      truncated
      nodes { id kind label depth }
      edges { source target kind record }
    }
  }`;
  const ACTOR = `query ExplorerActor($id: ID!) {
    node(id: $id) {
      __typename id
      ... on State {
        name code
        timeline { ...Item }
        memberships { ...Seat organisation { id acronym name } }
        armsSupplierDiversification {
          deals suppliers { deals dealShare units supplier { id code name } }
        }
      }
      ... on Organisation {
        name acronym
        timeline { ...Item }
        members { ...Seat member { ... on State { id label: name } ... on Organisation { id label: acronym } } }
      }
      ... on Person { name }
      ... on Company { name }
      ... on NonStateActor { name }
    }
  }
  fragment Item on TimelineItem { date kind title item { ... on Node { id } } }
  fragment Seat on Membership { id role since until attestedYear }`;
  const RECORD = `query ExplorerRecord($id: ID!) {
    node(id: $id) {
      __typename id
      ... on Cited { sources { quote locator document url } }
      ... on Membership {
        role since until
        organisation { name }
        member { ... on State { memberName: name } ... on Organisation { memberName: name } }
      }
      ... on Agreement { title date summary }
      ... on ArmsTransfer {
        weaponDesignation description orderYear transferStatus: status numberOrdered
        supplierName recipientName
      }
      ... on Event { title date summary }
      ... on MilitaryExercise { exerciseName: name date summary }
      ... on Initiative { title date summary }
      ... on EconomicFigure { metric value unit year }
      ... on OfficeHolding { office since until }
      ... on Corridor { corridorName: name summary }
      ... on State { stateName: name }
      ... on Organisation { organisationName: name }
      ... on Person { personName: name }
      ... on Company { companyName: name }
      ... on NonStateActor { actorName: name }
    }
  }`;

  async function gql(query, variables) {
    const response = await fetch("/graphql", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json();
    if (body.errors && body.errors.length) {
      throw new Error(body.errors.map((e) => e.message).join("; "));
    }
    return body.data;
  }

  function el(tag, attributes, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes || {})) {
      if (name === "onclick") node.addEventListener("click", value);
      else if (value !== null && value !== undefined) node.setAttribute(name, value);
    }
    for (const child of children) {
      if (child !== null && child !== undefined) {
        node.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
      }
    }
    return node;
  }

  function status(text, state) {
    $("status").textContent = text;
    $("status").dataset.state = state || "";
  }

  function failed(error) {
    status(`Error: ${error.message}`, "error");
  }

  // -- search ---------------------------------------------------------------------------

  async function search(text) {
    status(`Searching for “${text}”…`, "busy");
    const data = await gql(SEARCH, { text, kinds: ACTOR_KINDS });
    const hits = data.search.edges.map((e) => e.node);
    const list = $("results");
    list.replaceChildren(
      ...hits.map((hit) =>
        el("li", { "data-id": hit.item.id, onclick: () => open(hit.item.id) },
          hit.title, el("span", { class: "kind" }, hit.kind.toLowerCase().replace(/_/g, " "))),
      ),
    );
    list.hidden = hits.length === 0;
    status(hits.length ? `${hits.length} actors match; pick one.` : `Nothing matches “${text}”.`,
      hits.length ? "results" : "empty");
    if (hits.length === 1) await open(hits[0].item.id);
  }

  // -- the graph --------------------------------------------------------------------------

  let cy = null;

  function drawGraph(network) {
    const elements = [
      ...network.nodes.map((n) => ({
        group: "nodes",
        data: { id: n.id, label: n.label, kind: n.kind, depth: n.depth },
      })),
      ...network.edges.map((e, i) => ({
        group: "edges",
        data: { id: `e${i}`, source: e.source, target: e.target, kind: e.kind, record: e.record },
      })),
    ];
    if (cy) cy.destroy();
    cy = cytoscape({
      container: $("graph"),
      elements,
      wheelSensitivity: 0.3,
      style: [
        { selector: "node", style: {
          label: "data(label)", "font-size": 10, width: 18, height: 18,
          "background-color": (n) => KIND_COLOURS[n.data("kind")] || "#777",
          "text-valign": "bottom", "text-margin-y": 2 } },
        { selector: "node[depth = 0]", style: { width: 34, height: 34, "font-weight": "bold" } },
        { selector: "edge", style: {
          width: 1, "line-color": "#b8c0cc", "curve-style": "haystack", opacity: 0.7 } },
        { selector: "edge:selected, node:selected", style: {
          "line-color": "#d9822b", "border-width": 3, "border-color": "#d9822b" } },
      ],
      layout: {
        name: "concentric",
        concentric: (n) => 10 - n.data("depth"),
        levelWidth: () => 1,
        minNodeSpacing: 6,
        animate: false,
      },
    });
    cy.on("tap", "node", (event) => open(event.target.id()));
    cy.on("tap", "edge", (event) => showRecord(event.target.data("record")));
    window.explorer.cy = cy;
    const legend = Object.keys(KIND_COLOURS)
      .filter((kind) => network.nodes.some((n) => n.kind === kind))
      .map((kind) => el("span", { class: "kind" },
        el("span", { class: "swatch", style: `background:${KIND_COLOURS[kind]}` }),
        kind.toLowerCase().replace(/_/g, " ")));
    $("legend").replaceChildren(
      `${network.nodes.length} actors, ${network.edges.length} ties` +
        (network.truncated ? " (cut short at 400 actors)" : "") +
        ". Click an actor to centre on it, a tie to see its record. ",
      ...legend,
    );
  }

  // -- the side panels --------------------------------------------------------------------

  function drawTimeline(items) {
    $("timeline").replaceChildren(
      ...(items || []).map((item) =>
        el("li", {},
          el("span", { class: "date" }, item.date),
          el("span", { class: "link", "data-id": item.item.id, onclick: () => showRecord(item.item.id) },
            item.title)),
      ),
    );
    if (!items || !items.length) $("timeline").append(el("li", {}, "No dated records."));
  }

  function drawMemberships(seats, nameOf) {
    const box = $("memberships");
    if (!seats || !seats.length) {
      box.replaceChildren(el("p", {}, "No memberships recorded."));
      return;
    }
    const now = new Date().getFullYear();
    const start = (s) => s.since ?? s.attestedYear ?? now;
    const spans = seats
      .map((s) => ({ seat: s, from: start(s), to: s.until ?? now, label: `${nameOf(s)} (${s.role.toLowerCase()})` }))
      .sort((a, b) => a.from - b.from || a.label.localeCompare(b.label));
    const first = Math.min(...spans.map((s) => s.from));
    const last = Math.max(now, ...spans.map((s) => s.to));
    const row = 18, labelWidth = 190, width = 560, years = Math.max(1, last - first + 1);
    const x = (year) => labelWidth + ((year - first) / years) * (width - labelWidth - 10);
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", `0 0 ${width} ${spans.length * row + 20}`);
    const add = (tag, attributes, text) => {
      const node = document.createElementNS(ns, tag);
      for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
      if (text !== undefined) node.textContent = text;
      svg.append(node);
      return node;
    };
    spans.forEach((span, i) => {
      const y = i * row;
      add("text", { x: 0, y: y + 12, "font-size": 10 }, span.label);
      const bar = add("rect", {
        x: x(span.from), y: y + 3, height: 11, rx: 2,
        width: Math.max(3, x(span.to + 1) - x(span.from)),
        fill: span.seat.until ? "#9bb5e0" : "#1f5fbf", "data-id": span.seat.id,
      });
      bar.append(Object.assign(document.createElementNS(ns, "title"), {
        textContent: `${span.label}: ${span.seat.since ?? "attested " + span.seat.attestedYear}–${span.seat.until ?? ""}`,
      }));
      bar.addEventListener("click", () => showRecord(span.seat.id));
    });
    add("text", { x: labelWidth, y: spans.length * row + 14, "font-size": 10 }, String(first));
    add("text", { x: width - 40, y: spans.length * row + 14, "font-size": 10 }, String(last));
    box.replaceChildren(svg);
  }

  function drawSuppliers(diversification) {
    const body = $("suppliers").tBodies[0];
    const suppliers = diversification ? diversification.suppliers : [];
    body.replaceChildren(
      ...suppliers.map((s) =>
        el("tr", {},
          el("td", {}, el("span", { class: "link", onclick: () => open(s.supplier.id) }, s.supplier.name)),
          el("td", {}, `${s.deals} deal${s.deals === 1 ? "" : "s"}`),
          el("td", { style: "width:40%" },
            el("div", { class: "bar", style: `width:${Math.round(s.dealShare * 100)}%` }))),
      ),
    );
    if (!suppliers.length) {
      body.append(el("tr", {}, el("td", {}, diversification ? "No arms imports recorded." : "Only states import arms here.")));
    }
  }

  // -- records and their quotes -------------------------------------------------------------

  function describe(record) {
    const skip = new Set(["__typename", "id", "sources", "organisation", "member"]);
    const rows = [];
    for (const [name, value] of Object.entries(record)) {
      if (skip.has(name) || value === null || value === undefined) continue;
      rows.push(el("li", {}, el("span", { class: "date" }, name), String(value)));
    }
    if (record.organisation) rows.unshift(el("li", {}, el("span", { class: "date" }, "organisation"), record.organisation.name));
    if (record.member) rows.unshift(el("li", {}, el("span", { class: "date" }, "member"), record.member.memberName));
    return el("ul", { class: "rows" }, ...rows);
  }

  async function showRecord(id) {
    const data = await gql(RECORD, { id });
    const record = data.node;
    const box = $("record-body");
    if (!record) {
      box.replaceChildren(el("p", {}, "This record no longer exists."));
    } else {
      const quotes = (record.sources || []).map((s) =>
        el("div", { class: "source" },
          s.quote ? el("blockquote", {}, s.quote) : null,
          el("div", { class: "locator" }, [s.document, s.locator].filter(Boolean).join(", "))));
      box.replaceChildren(
        el("h4", { "data-type": record.__typename }, record.__typename),
        describe(record),
        el("h4", {}, `Sources (${quotes.length})`),
        ...quotes,
      );
    }
    $("record").hidden = false;
    $("record").dataset.id = id;
  }

  // -- one actor ------------------------------------------------------------------------------

  async function open(center) {
    const depth = Number($("depth").value) || 1;
    $("results").hidden = true;
    status(`Loading the network of ${center}…`, "busy");
    const url = new URL(window.location.href);
    url.searchParams.set("actor", center);
    url.searchParams.set("depth", depth);
    history.replaceState(null, "", url);
    const { network } = await gql(NETWORK, { center, depth });
    const centre = network.nodes.find((n) => n.depth === 0);
    // The panels' request runs on the server while the graph is laid out here.
    const details = gql(ACTOR, { id: centre.id });
    drawGraph(network);
    $("actor-title").textContent = centre.label;
    // First paint: cytoscape draws in its next animation frame; the one after that comes
    // once the graph is on screen (times are from navigation start).
    const drawn = new Promise((resolve) =>
      requestAnimationFrame(() => requestAnimationFrame(resolve)));
    drawn.then(() => {
      if (window.explorer.firstPaint === null) {
        window.explorer.firstPaint = performance.now();
        performance.mark("explorer-graph-painted");
      }
    });
    const { node } = await details;
    drawTimeline(node.timeline);
    if (node.__typename === "State") {
      drawMemberships(node.memberships, (s) => s.organisation.acronym || s.organisation.name);
    } else if (node.__typename === "Organisation") {
      drawMemberships(node.members, (s) => s.member.label);
    } else {
      drawMemberships([], null);
    }
    drawSuppliers(node.__typename === "State" ? node.armsSupplierDiversification : null);
    await drawn;
    if (window.explorer.ready === null) {
      window.explorer.ready = performance.now();
      performance.mark("explorer-ready");
    }
    status(`${centre.label}: ${network.nodes.length} actors, ${network.edges.length} ties.`, "ready");
    $("graph").dataset.nodes = cy.nodes().length;
    $("graph").dataset.edges = cy.edges().length;
  }

  window.explorer = { cy: null, open, search, showRecord, firstPaint: null, ready: null };

  $("search-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const text = $("search").value.trim();
    if (text) search(text).catch(failed);
  });

  const params = new URLSearchParams(window.location.search);
  if (params.get("depth")) $("depth").value = params.get("depth");
  if (params.get("actor")) open(params.get("actor")).catch(failed);
  else if (params.get("q")) {
    $("search").value = params.get("q");
    search(params.get("q")).catch(failed);
  }
})();
