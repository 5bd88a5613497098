// The typed client (@gantry/client, generated from the API's OpenAPI document) for the signed-in
// token, on the origin that served the console.
import { createGantryClient, type GantryClient } from "@gantry/client";
import { savedToken } from "./session.ts";

export function client(): GantryClient {
  return createGantryClient({ baseUrl: location.origin, token: savedToken() ?? "" });
}
