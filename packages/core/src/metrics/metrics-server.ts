// Serves a prom-client registry as Prometheus text on a port of its own (GET /metrics), apart
// from the API's public port: scrapes need no token, skip the API's auth, rate limit and audit,
// and the port is reached only from inside the cluster (README, Metrics).
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { Registry } from "prom-client";

export interface MetricsServer {
  /** The port it listens on (the one asked for, or the one the system chose for 0). */
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(
  registry: Registry,
  options: { host: string; port: number; onError?: (err: unknown) => void },
): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found: GET /metrics\n");
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { "content-type": registry.contentType }).end(text),
      (err: unknown) => {
        options.onError?.(err);
        response.writeHead(500, { "content-type": "text/plain" }).end("metrics could not be collected\n");
      },
    );
  });
  server.listen(options.port, options.host);
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : options.port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
