// Runs one autocannon load in a process of its own (see load.ts) and prints its result as JSON.
// Argument: the LoadOptions as JSON. A body containing `{n}` gets a counter per request, which
// makes every POST create a stack of its own name.
import autocannon from "autocannon";
import type { LoadOptions } from "./load.ts";

const options = JSON.parse(process.argv[2] ?? "{}") as LoadOptions;
let counter = 0;
const result = await autocannon({
  url: options.url,
  duration: options.seconds,
  connections: options.connections,
  requests: [
    {
      method: options.method ?? "GET",
      headers: options.headers,
      setupRequest: (request) =>
        options.body ? { ...request, body: options.body.replaceAll("{n}", String(counter++)) } : request,
    },
  ],
});
console.log(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    statusCodes: result.statusCodeStats,
  }),
);
