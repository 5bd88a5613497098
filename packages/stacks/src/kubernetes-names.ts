// Kubernetes object names as spec fields: a namespace is a DNS label (RFC 1123), at most 63 characters.
import { z } from "zod";

export const namespaceName = () =>
  z
    .string()
    .max(63)
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a Kubernetes namespace name");
