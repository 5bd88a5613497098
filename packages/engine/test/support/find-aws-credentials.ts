// Started by the tests with exactly an engine process's environment: prints, as one JSON line,
// the credentials the engine's check finds there (fake ones: no real secret reaches a test), or its error.
import { findAwsCredentials } from "../../src/runner/aws-credentials.ts";

try {
  const { accessKeyId, secretAccessKey, sessionToken } = await findAwsCredentials();
  process.stdout.write(`${JSON.stringify({ found: { accessKeyId, secretAccessKey, sessionToken } })}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: (err as Error).message })}\n`);
}
