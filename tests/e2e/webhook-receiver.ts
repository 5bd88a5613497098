// A webhook receiver for end-to-end tests: a real HTTP server on loopback that keeps every JSON
// body it is sent and answers 204. (The drift test has its own: it refuses deliveries on purpose.)
import { once } from "node:events";
import { createServer } from "node:http";

export interface WebhookReceiver {
  /** Where Gantry should deliver (GANTRY_WEBHOOK_URLS). */
  url: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever was delivered
  deliveries: any[];
  close(): void;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const deliveries: WebhookReceiver["deliveries"] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => {
      body += chunk;
    });
    req.on("end", () => {
      deliveries.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("no receiver address");
  return { url: `http://127.0.0.1:${address.port}/hooks`, deliveries, close: () => server.close() };
}
