// A kubeconfig for an EKS cluster that carries no credential: it asks `aws eks get-token` for a
// short-lived token with whatever AWS identity reads it (Gantry's worker deploying a workload, or
// a person with an access entry). Still a secret output: it names the endpoint and CA.
import * as pulumi from "@pulumi/pulumi";

export function kubeconfig(
  clusterName: pulumi.Input<string>,
  endpoint: pulumi.Input<string>,
  certificateAuthority: pulumi.Input<string>,
  region: pulumi.Input<string>,
): pulumi.Output<string> {
  return pulumi.all([clusterName, endpoint, certificateAuthority, region]).apply(([name, server, ca, zone]) =>
    JSON.stringify({
      apiVersion: "v1",
      kind: "Config",
      clusters: [{ name, cluster: { server, "certificate-authority-data": ca } }],
      contexts: [{ name, context: { cluster: name, user: name } }],
      "current-context": name,
      users: [
        {
          name,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "aws",
              args: ["eks", "get-token", "--cluster-name", name, "--region", zone, "--output", "json"],
              interactiveMode: "Never",
            },
          },
        },
      ],
    }),
  );
}
