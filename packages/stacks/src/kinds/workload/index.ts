// A workload: one container spec placed on EKS, any Kubernetes cluster, or ECS Fargate by
// `target`, bound to databases by reference. The data-plane halves live in eks.ts, kubernetes.ts
// (sharing kubernetes-objects.ts) and ecs.ts; what all share (spec, bindings, dependencies) is here
// and beside it.
import * as pulumi from "@pulumi/pulumi";
import { awsName, stackTags } from "../../aws/tags.ts";
import { defineKind } from "../../kind.ts";
import { databaseBindings } from "./bindings.ts";
import { workloadDefinition } from "./definition.ts";
import { ecsWorkload } from "./ecs.ts";
import { eksWorkload } from "./eks.ts";
import { kubernetesWorkload } from "./kubernetes.ts";

const KIND = "workload";

export const workload = defineKind({
  ...workloadDefinition,

  async program(context) {
    const bindings = databaseBindings(context.spec, context.dependencies);
    const { target } = context.spec;
    if (target === "kubernetes") return { target, ...(await kubernetesWorkload(context, bindings)) };
    const tags = stackTags(context, KIND);
    if (target === "eks") return { target, ...(await eksWorkload(context, bindings, tags)) };
    const placed = ecsWorkload(context, awsName(context.physicalName), bindings, tags);
    return {
      target,
      ...placed,
      namespace: pulumi.output(""),
      serviceDnsName: pulumi.output(""),
      readyReplicas: pulumi.output(null),
    };
  },
});
