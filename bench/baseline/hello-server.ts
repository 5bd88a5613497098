// Baseline of the API figure: Fastify's hello world in a process of its own, on loopback, the
// floor for any Fastify route on this machine at this moment.
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/", async () => ({ hello: "world" }));
const address = await app.listen({ host: "127.0.0.1", port: Number(process.argv[2] ?? 0) });
console.log(`hello server listening on ${address}`);
