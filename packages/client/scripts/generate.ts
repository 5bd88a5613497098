// `npm run client:generate`: writes the generated files of @gantry/client from the API's routes.
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { generateClientFiles } from "./generate-client.ts";

const dir = new URL("../src/generated/", import.meta.url);
const files = await generateClientFiles();
await writeFile(new URL("openapi.json", dir), files.document);
await writeFile(new URL("openapi.ts", dir), files.types);
console.log(`wrote ${fileURLToPath(dir)}openapi.{json,ts}`);
