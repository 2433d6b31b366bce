// Runs graphql-http's serverAudits against the GraphQL endpoint given as the only argument
// and prints one JSON object per audit: {id, name, status ("ok" | "warn" | "error"), reason}.
// A failed MUST is "error", a failed SHOULD or MAY is "warn".
import { serverAudits } from "graphql-http";

const url = process.argv[2];
if (!url) {
  console.error("usage: node audit.mjs http://127.0.0.1:PORT/graphql");
  process.exit(2);
}

const results = [];
for (const audit of serverAudits({ url, fetchFn: fetch })) {
  const result = await audit.fn();
  results.push({ id: audit.id, name: audit.name, status: result.status, reason: result.reason ?? null });
}
console.log(JSON.stringify(results));
