// The command tree: arguments and options only; each command's work is in commands/.
import { createGantryClient } from "@gantry/client";
import { Command, InvalidArgumentError, Option } from "commander";
import { apply } from "./commands/apply.ts";
import { drift } from "./commands/drift.ts";
import { kinds } from "./commands/kinds.ts";
import { logs, preview, wait } from "./commands/operations.ts";
import { destroy, get, list, setProtection } from "./commands/stacks.ts";
import type { Context } from "./context.ts";
import { readManifests } from "./manifest.ts";
import { createOutput, type Format } from "./output.ts";
import { resolveSettings } from "./settings.ts";
import { parseDuration } from "./wait.ts";

const STACK_STATUSES = ["pending", "provisioning", "ready", "updating", "failed", "destroying", "destroyed"];

interface GlobalOptions {
  url?: string;
  output: Format;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];
const duration = (value: string) => {
  try {
    return parseDuration(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
};

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function buildProgram(): Command {
  const program = new Command("gantry")
    .description("Gantry from the command line: stacks from YAML files, operations, drift.")
    .option("--url <url>", "the API (default: GANTRY_URL, then the config file)")
    .addOption(
      new Option("-o, --output <format>", "table for people, json for programs")
        .choices(["table", "json"])
        .default("table"),
    )
    .showHelpAfterError()
    // Errors come back to main.ts, which picks the exit code (subcommands inherit this).
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text) });

  // Settings are resolved when a command runs, so `--help` works without any.
  const ctx = (command: Command): Context => {
    const globals = command.optsWithGlobals<GlobalOptions>();
    const settings = resolveSettings({ url: globals.url });
    return {
      client: createGantryClient({ baseUrl: settings.url, token: settings.token }),
      out: createOutput(globals.output),
    };
  };

  program
    .command("apply")
    .description("create or update stacks to match YAML files (one stack per document), then wait for them")
    .requiredOption("-f, --filename <file>", "a YAML file, or - for standard input (repeatable)", collect)
    .option("--no-wait", "return once the operations are accepted")
    .option("--timeout <duration>", "give up waiting after this long (e.g. 10m)", duration)
    .action(async (opts: { filename: string[]; wait: boolean; timeout?: number }, command: Command) => {
      const manifests = await readManifests(opts.filename, readStdin);
      await apply(ctx(command), manifests, { wait: opts.wait, timeoutMs: opts.timeout });
    });

  program
    .command("list")
    .alias("ls")
    .description("the team's stacks")
    .option("--kind <kind>", "only stacks of this kind")
    .addOption(new Option("--status <status>", "only stacks in this status").choices(STACK_STATUSES))
    .action(async (opts: { kind?: string; status?: (typeof STACK_STATUSES)[number] }, command: Command) => {
      await list(ctx(command), opts as Parameters<typeof list>[1]);
    });

  program
    .command("get")
    .description("one stack: status, spec, outputs (secrets hidden unless --reveal)")
    .argument("<stack>", "name or id")
    .option("--reveal", "show secret outputs (admins; the API audits it)", false)
    .action(async (ref: string, opts: { reveal: boolean }, command: Command) => {
      await get(ctx(command), ref, opts);
    });

  program
    .command("preview")
    .description(
      "what an up would change: the named stacks as they are, or the stacks of YAML files as written",
    )
    .argument("[stacks...]", "names or ids")
    .option("-f, --filename <file>", "a YAML file, or - for standard input (repeatable)", collect)
    .option("--timeout <duration>", "give up waiting after this long", duration)
    .action(async (refs: string[], opts: { filename?: string[]; timeout?: number }, command: Command) => {
      const manifests = opts.filename ? await readManifests(opts.filename, readStdin) : [];
      await preview(ctx(command), refs, manifests, { timeoutMs: opts.timeout });
    });

  program
    .command("logs")
    .description("an operation's engine log (a stack: its last operation)")
    .argument("<operation>", "operation id, or a stack's name or id")
    .option("-f, --follow", "follow it live until the operation ends", false)
    .action(async (ref: string, opts: { follow: boolean }, command: Command) => {
      await logs(ctx(command), ref, opts);
    });

  program
    .command("wait")
    .description("wait until an operation ends (a stack: its last operation); exit 1 unless it succeeded")
    .argument("<operation>", "operation id, or a stack's name or id")
    .option("--timeout <duration>", "give up after this long (exit 6)", duration)
    .action(async (ref: string, opts: { timeout?: number }, command: Command) => {
      await wait(ctx(command), ref, { timeoutMs: opts.timeout });
    });

  program
    .command("drift")
    .description("the team's drift at a glance, or one stack's latest drift report")
    .argument("[stack]", "name or id")
    .option("--check", "check the stack now and wait for the report", false)
    .option("--exit-code", "exit 1 when something drifted", false)
    .option("--timeout <duration>", "give up waiting for --check after this long", duration)
    .action(
      async (
        ref: string | undefined,
        opts: { check: boolean; exitCode: boolean; timeout?: number },
        command: Command,
      ) => {
        await drift(ctx(command), ref, { ...opts, timeoutMs: opts.timeout });
      },
    );

  program
    .command("destroy")
    .description("delete stacks and what they made (admins), then wait for it")
    .argument("<stacks...>", "names or ids")
    .option("--no-wait", "return once the operations are accepted")
    .option("--timeout <duration>", "give up waiting after this long", duration)
    .action(async (refs: string[], opts: { wait: boolean; timeout?: number }, command: Command) => {
      await destroy(ctx(command), refs, { wait: opts.wait, timeoutMs: opts.timeout });
    });

  for (const [verb, description] of [
    ["protect", "mark stacks protected (admins): their destroy then always waits for an admin's approval"],
    ["unprotect", "remove the protection (admins)"],
  ] as const)
    program
      .command(verb)
      .description(description)
      .argument("<stacks...>", "names or ids")
      .action(async (refs: string[], _opts: unknown, command: Command) => {
        await setProtection(ctx(command), refs, verb);
      });

  program
    .command("kinds")
    .description("the kinds of stack; with a name, its spec's JSON Schema")
    .argument("[kind]", "a kind's name")
    .action(async (name: string | undefined, _opts: unknown, command: Command) => {
      await kinds(ctx(command), name);
    });

  return program;
}
