// What every AWS kind needs from the platform: an account to provision into. Without configured
// credentials an AWS run fails at once with this message, instead of the engine searching for them.
import type { PlatformSettings } from "../kind.ts";

export const NO_AWS_CREDENTIALS =
  "no AWS credentials are configured for Gantry: set AWS_REGION and one of AWS_ACCESS_KEY_ID with " +
  "AWS_SECRET_ACCESS_KEY, AWS_PROFILE, AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE, or " +
  "AWS_CONTAINER_CREDENTIALS_FULL_URI for the worker";

/** The engine environment of an AWS kind: region and credential variables, nothing else. */
export function awsEngineEnv(platform: PlatformSettings): Record<string, string> {
  if (!platform.aws) throw new Error(NO_AWS_CREDENTIALS);
  return {
    ...platform.aws.credentials,
    AWS_REGION: platform.aws.region,
    AWS_DEFAULT_REGION: platform.aws.region,
  };
}
