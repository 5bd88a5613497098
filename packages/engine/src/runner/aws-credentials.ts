// Before a run of an AWS kind, the engine process asks the AWS SDK's standard credential chain for
// credentials in its own environment (the one settings.ts built), so "no credentials" fails the run
// at once and says so, rather than deep inside the Pulumi AWS provider after a plan. The provider
// (Go) resolves its own from the same variables and files; the credentials found here are not used.
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { awsCredentialsNotFound } from "@gantry/stacks/engine";

/** Long enough for a web identity exchange or a credential_process, short enough to fail "at once". */
const FIND_TIMEOUT_MS = 15_000;

/** No source of the chain answered: a platform problem, which another attempt would not fix. */
export class NoAwsCredentialsError extends Error {
  override name = "NoAwsCredentialsError";
}

type AwsCredentials = Awaited<ReturnType<ReturnType<typeof defaultProvider>>>;

export async function findAwsCredentials(timeoutMs = FIND_TIMEOUT_MS): Promise<AwsCredentials> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no source answered within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return await Promise.race([defaultProvider()(), timedOut]);
  } catch (err) {
    // The chain reports its last source's error; its first line says enough (a helper's stderr,
    // which a credential_process failure appends, may say more than it should).
    const reason = (err instanceof Error ? err.message : String(err)).split("\n")[0]?.slice(0, 300);
    throw new NoAwsCredentialsError(awsCredentialsNotFound(reason || "no reason given"));
  } finally {
    clearTimeout(timer);
  }
}
