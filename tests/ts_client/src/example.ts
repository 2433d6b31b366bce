// Who belongs to the OTS, typed end to end: `graphql()` comes from `npm run codegen`, which
// reads schema/schema.graphql, so a field that does not exist fails `tsc`, not the user.
import { graphql } from "./gql/gql.js";
import type { TypedDocumentString } from "./gql/graphql.js";

const API = process.env.SILKGRAPH_URL ?? "http://127.0.0.1:8000/graphql";

const OtsMembers = graphql(`
  query OtsMembers($year: Int!) {
    organisation(acronym: "OTS") {
      name
      members(asOf: $year) {
        role
        member { __typename ... on State { code name } ... on Organisation { acronym name } }
      }
    }
  }
`);

async function execute<Result, Variables>(
  query: TypedDocumentString<Result, Variables>,
  variables: Variables,
): Promise<Result> {
  const response = await fetch(API, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json" },
    body: JSON.stringify({ query: query.toString(), variables }),
  });
  const body = (await response.json()) as { data?: Result; errors?: { message: string }[] };
  if (body.errors?.length || body.data === undefined) {
    throw new Error(body.errors?.map((e) => e.message).join("; ") ?? `HTTP ${response.status}`);
  }
  return body.data;
}

const { organisation } = await execute(OtsMembers, { year: 2025 });
for (const { role, member } of organisation?.members ?? []) {
  // `member` is a union: TypeScript knows which fields each kind has.
  const label = member.__typename === "State" ? member.code : member.acronym;
  console.log(`${role}\t${label}\t${member.name}`);
}
