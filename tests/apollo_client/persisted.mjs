// Apollo Client's persisted-queries link, as an app would set it up, against the server
// at process.argv[2]: prints the two answers and every HTTP request the link made.
import { createHash } from "node:crypto";
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";
import { PersistedQueryLink } from "@apollo/client/link/persisted-queries";

const requests = [];
async function recordingFetch(url, init) {
  const response = await fetch(url, init);
  const sent = init?.body ? JSON.parse(init.body) : null;
  const params = new URL(url).searchParams;
  requests.push({
    method: init?.method ?? "GET",
    status: response.status,
    sentQueryText: Boolean(sent?.query ?? params.get("query")),
    sentHash: Boolean(sent?.extensions?.persistedQuery ?? params.get("extensions")),
  });
  return response;
}

const client = new ApolloClient({
  link: new PersistedQueryLink({
    sha256: (text) => createHash("sha256").update(text).digest("hex"),
    useGETForHashedQueries: true,
  }).concat(new HttpLink({ uri: process.argv[2], fetch: recordingFetch })),
  cache: new InMemoryCache(),
});

const Name = gql`
  query OrganisationName($acronym: String!) {
    organisation(acronym: $acronym) { name founded }
  }
`;
const first = await client.query({ query: Name, variables: { acronym: "OTS" } });
const second = await client.query({ query: Name, variables: { acronym: "CSTO" } });
console.log(JSON.stringify({ first: first.data, second: second.data, requests }));
