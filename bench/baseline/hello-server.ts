// Baseline of the API figure: Fastify's hello world in a process of its own, on loopback, the
// floor for any Fastify route on this machine at this moment. `PUT /page` keeps a JSON body and
// `GET /page` answers it (stringified at each request, as a route does): the floor for an answer
// of that size (the figure puts the API's list page there).
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/", async () => ({ hello: "world" }));
let page: unknown = null;
app.put("/page", async (request) => {
  page = request.body;
  return { kept: true };
});
app.get("/page", async () => page);
const address = await app.listen({ host: "127.0.0.1", port: Number(process.argv[2] ?? 0) });
console.log(`hello server listening on ${address}`);
