// PostGraphile 5 over silkgraph's PostgreSQL tables, configured as its documentation
// recommends for production: the Amber preset, no GraphiQL, no schema watching, no plan
// explanations, GRAPHILE_ENV=production. The aggregates plugin answers benchmark query d
// (transfer counts per supplier). With WORKERS > 1 it runs that many processes behind one
// port (node:cluster), as silkgraph runs uvicorn workers.
//
//   node server.mjs postgres://user@127.0.0.1:PORT/db PORT WORKERS POOL
import cluster from "node:cluster";
import { createServer } from "node:http";
import { PgAggregatesPreset } from "@graphile/pg-aggregates";
import { postgraphile } from "postgraphile";
import { makePgService } from "postgraphile/adaptors/pg";
import { grafserv } from "postgraphile/grafserv/node";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";

const [connectionString, port, workers = "1", pool = "10"] = process.argv.slice(2);

if (cluster.isPrimary && Number(workers) > 1) {
  for (let i = 0; i < Number(workers); i++) cluster.fork();
  cluster.on("exit", (worker, code) => {
    console.error(`worker ${worker.process.pid} exited with ${code}`);
    process.exit(1);
  });
  process.on("SIGTERM", () => {
    for (const worker of Object.values(cluster.workers)) worker.kill("SIGTERM");
    process.exit(0);
  });
} else {
  const preset = {
    extends: [PostGraphileAmberPreset, PgAggregatesPreset],
    pgServices: [
      makePgService({
        connectionString,
        schemas: ["public"],
        poolConfig: { max: Number(pool) },
      }),
    ],
    grafserv: { graphiql: false, watch: false, graphqlPath: "/graphql" },
    grafast: { explain: false },
  };
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  server.on("error", (error) => {
    console.error(error);
    process.exit(1);
  });
  await serv.addTo(server);
  server.listen(Number(port), "127.0.0.1", () => console.log(`listening on ${port}`));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}
