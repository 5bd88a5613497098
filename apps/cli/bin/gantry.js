#!/usr/bin/env node
// The `gantry` command. The workspace runs its TypeScript from source (no build step), so the
// entry registers tsx's loader and then loads the CLI.
import { register } from "tsx/esm/api";

register();
await import("../src/main.ts");
