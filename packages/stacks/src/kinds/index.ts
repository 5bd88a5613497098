// Every kind Gantry offers. Adding a kind: write its module under kinds/, add it here.
import type { AnyKind } from "../kind.ts";
import { pgDatabase } from "./pg-database/index.ts";

export const KINDS: readonly AnyKind[] = [pgDatabase];
