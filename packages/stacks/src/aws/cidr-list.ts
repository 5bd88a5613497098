// A list of IPv4 CIDR blocks that may reach something from outside (an API endpoint, a load
// balancer): each a valid block, none the whole internet unless the field allows it.
import { z } from "zod";
import { parseCidr } from "../kinds/network/subnets.ts";

export function cidrList(options: { allowAnywhere: boolean; max: number }) {
  return z
    .array(
      z
        .string()
        .max(18)
        .superRefine((text, ctx) => {
          if (!parseCidr(text))
            ctx.addIssue({ code: "custom", message: "must be an IPv4 CIDR block such as 203.0.113.0/24" });
          else if (!options.allowAnywhere && text.endsWith("/0"))
            ctx.addIssue({
              code: "custom",
              message: "must not be the whole internet (/0): name the ranges that need access",
            });
        }),
    )
    .max(options.max);
}
