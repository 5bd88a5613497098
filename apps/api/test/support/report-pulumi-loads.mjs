// Preloaded (--import) into a process by no-pulumi.test.ts: prints every @pulumi/* module the
// process resolves, ESM or CommonJS, with the module that asked for it.
import { registerHooks } from "node:module";

registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    if (resolved.url.includes("/node_modules/@pulumi/"))
      process.stderr.write(`pulumi module loaded: ${resolved.url} (from ${context.parentURL})\n`);
    return resolved;
  },
});
