// What every AWS kind needs from the platform: an account to provision into. Without a credential
// source an AWS run fails at once with one of these messages, instead of the engine searching for them.
import type { PlatformSettings } from "../kind.ts";

const CREDENTIAL_SOURCES =
  "AWS_ACCESS_KEY_ID with AWS_SECRET_ACCESS_KEY; a shared config or credentials file (~/.aws/config, " +
  "~/.aws/credentials, AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE) with its default profile or " +
  "AWS_PROFILE; AWS_ROLE_ARN with AWS_WEB_IDENTITY_TOKEN_FILE; container credentials " +
  "(AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_CREDENTIALS_RELATIVE_URI); or an EC2 instance profile";

/** The worker was given no region, or no credential source that could exist. */
export const NO_AWS_CREDENTIALS =
  "no AWS credentials are configured for Gantry: set AWS_REGION and give the worker one credential " +
  `source: ${CREDENTIAL_SOURCES}`;

/** The engine looked for credentials with the AWS SDK's chain and found none (`reason`: its last error). */
export function awsCredentialsNotFound(reason: string): string {
  return (
    `no AWS credentials were found: the AWS SDK's credential chain found none in the engine's ` +
    `environment (${reason}); give the worker one credential source: ${CREDENTIAL_SOURCES}`
  );
}

/** The engine environment of an AWS kind: region and the credential chain's variables, nothing else. */
export function awsEngineEnv(platform: PlatformSettings): Record<string, string> {
  if (!platform.aws) throw new Error(NO_AWS_CREDENTIALS);
  return {
    ...platform.aws.credentials,
    AWS_REGION: platform.aws.region,
    AWS_DEFAULT_REGION: platform.aws.region,
  };
}
