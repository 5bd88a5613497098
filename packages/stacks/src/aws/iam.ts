// IAM roles the AWS kinds create: a role an AWS service assumes, and a role a Kubernetes service
// account assumes through the cluster's OIDC provider (IRSA). Trust policies are built here only.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** AWS managed policy ARN (partition "aws"; GovCloud and China are out of scope). */
export const managedPolicy = (name: string): string => `arn:aws:iam::aws:policy/${name}`;

export interface RoleOptions {
  /** Managed policy names (not ARNs) attached to the role. */
  policies?: readonly string[];
  /** Inline policy documents by name. */
  inline?: Record<string, pulumi.Input<string>>;
  tags: Record<string, string>;
}

export interface CreatedRole {
  role: aws.iam.Role;
  /** The policy attachments: what uses the role should depend on them, or AWS may refuse it. */
  grants: pulumi.Resource[];
}

/** A role whose trust policy is `trust`, with its managed and inline policies attached. */
export function role(name: string, trust: pulumi.Input<string>, options: RoleOptions): CreatedRole {
  const created = new aws.iam.Role(name, { assumeRolePolicy: trust, tags: options.tags });
  const grants: pulumi.Resource[] = [];
  for (const policy of options.policies ?? [])
    grants.push(
      new aws.iam.RolePolicyAttachment(`${name}-${policy}`, {
        role: created.name,
        policyArn: managedPolicy(policy),
      }),
    );
  for (const [policyName, document] of Object.entries(options.inline ?? {}))
    grants.push(new aws.iam.RolePolicy(`${name}-${policyName}`, { role: created.id, policy: document }));
  return { role: created, grants };
}

/** Trust policy of a role an AWS service (`eks.amazonaws.com`) assumes, optionally tagging sessions. */
export function serviceTrust(service: string, actions: readonly string[] = ["sts:AssumeRole"]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: actions }],
  });
}

/**
 * Trust policy of an IRSA role: only `serviceAccount` in `namespace`, presenting a token for STS
 * from the cluster's OIDC issuer, may assume it.
 */
export function irsaTrust(
  oidcProviderArn: pulumi.Input<string>,
  oidcIssuer: pulumi.Input<string>,
  namespace: string,
  serviceAccount: string,
): pulumi.Output<string> {
  return pulumi.all([oidcProviderArn, oidcIssuer]).apply(([arn, issuer]) => {
    const host = issuer.replace(/^https:\/\//, "");
    return JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: arn },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: {
              [`${host}:aud`]: "sts.amazonaws.com",
              [`${host}:sub`]: `system:serviceaccount:${namespace}:${serviceAccount}`,
            },
          },
        },
      ],
    });
  });
}

/** Inline policy allowing to read exactly the given Secrets Manager secrets. */
export function readSecretsPolicy(secretArns: pulumi.Input<string>[]): pulumi.Output<string> {
  return pulumi.all(secretArns).apply((arns) =>
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: arns }],
    }),
  );
}
