// An ECS cluster for Fargate: Container Insights on, Fargate and Fargate Spot as its capacity
// providers. Clusters cost nothing on Fargate, so each stack that runs tasks has its own.
import * as aws from "@pulumi/aws";

export function fargateCluster(name: string, tags: Record<string, string>): aws.ecs.Cluster {
  const cluster = new aws.ecs.Cluster("cluster", {
    name,
    settings: [{ name: "containerInsights", value: "enhanced" }],
    tags,
  });
  new aws.ecs.ClusterCapacityProviders("capacity-providers", {
    clusterName: cluster.name,
    capacityProviders: ["FARGATE", "FARGATE_SPOT"],
    defaultCapacityProviderStrategies: [{ capacityProvider: "FARGATE", weight: 1, base: 0 }],
  });
  return cluster;
}
