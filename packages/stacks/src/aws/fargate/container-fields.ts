// Spec fields of a container, shared by ecs-service and workload so both take the same image,
// size, port and environment, validated the same way (Fargate's size table applies to both:
// a workload moves between EKS and ECS without resizing).
import { z } from "zod";
import { FARGATE_CPUS, type FargateCpu, fargateSizeIssue } from "./sizes.ts";

/** An image reference with a tag (not `latest`) or a digest: every deployment runs what was asked for. */
export const imageField = z
  .string()
  .max(512)
  .regex(
    /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127}|@sha256:[a-f0-9]{64})$/,
    "must be an image reference with a tag or digest, such as public.ecr.aws/nginx/nginx:1.27",
  )
  .refine((image) => !image.endsWith(":latest"), {
    message: "must name a version tag or digest, not latest, so every deployment runs the image asked for",
  })
  .describe(
    "Container image with a tag or digest (not latest), e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.4.2.",
  )
  .meta({ examples: ["public.ecr.aws/nginx/nginx:1.27"] });

export const cpuField = z
  .literal(FARGATE_CPUS)
  .default(256 as FargateCpu)
  .describe("CPU units per task or pod (1024 = 1 vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384.")
  .meta({ examples: [256] });

export const memoryField = z
  .int()
  .min(512)
  .max(122880)
  .default(512)
  .describe("Memory per task or pod in MiB; must suit cpu (Fargate: 256 → 512–2048, 1024 → 2048–8192, …).")
  .meta({ examples: [512, 2048] });

export const portField = z
  .int()
  .min(1024)
  .max(65535)
  .default(8080)
  .describe("Port the container listens on (1024–65535: containers do not run as root).")
  .meta({ examples: [8080] });

/** Names that look like credentials: those go through a database binding or a secret reference. */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|CREDENTIAL/i;

export const environmentField = z
  .record(z.string().max(128), z.string().max(4096))
  .superRefine((environment, ctx) => {
    for (const name of Object.keys(environment)) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
        ctx.addIssue({
          code: "custom",
          path: [name],
          message: "is not an environment variable name (letters, digits, _)",
        });
      else if (SECRET_NAME.test(name))
        ctx.addIssue({
          code: "custom",
          path: [name],
          message:
            "looks like a secret: specs are stored in plain text; bind a database or use a secret reference",
        });
    }
  })
  .default({})
  .describe("Plain environment variables. No secrets: specs are stored and shown in plain text.")
  .meta({ examples: [{ LOG_LEVEL: "info" }] });

/** Adds the issue of a cpu/memory pair Fargate does not run, at `memory`. */
export function checkSize(spec: { cpu: FargateCpu; memory: number }, ctx: z.RefinementCtx): void {
  const issue = fargateSizeIssue(spec.cpu, spec.memory);
  if (issue) ctx.addIssue({ code: "custom", path: ["memory"], message: issue });
}
