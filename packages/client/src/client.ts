// The typed Gantry client: openapi-fetch over the generated paths, with the bearer token on every
// request. Every call is typed by the route it names, e.g. client.GET("/v1/stacks/{id}", …).
import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./generated/openapi.ts";

export type GantryClient = Client<paths>;

export interface ClientOptions {
  /** Where the API answers, e.g. http://127.0.0.1:8080 (a trailing slash is ignored). */
  baseUrl: string;
  /** An API token (`npm run admin -- token create …`). */
  token: string;
  /** A fetch of your own (tests, proxies); the global one by default. */
  fetch?: typeof globalThis.fetch;
}

export function createGantryClient(options: ClientOptions): GantryClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use({
    onRequest({ request }) {
      request.headers.set("authorization", `Bearer ${options.token}`);
      return request;
    },
  });
  return client;
}
