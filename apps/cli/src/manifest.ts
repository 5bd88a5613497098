// Stack files for `apply` and `preview`: YAML with one stack per document (`---` between them),
// each shaped like the API's create body, and their order: a stack comes after the stacks of the
// same files it depends on, so it is created after them.
import { readFile } from "node:fs/promises";
import { parseAllDocuments } from "yaml";
import { z } from "zod";
import { CliError, EXIT } from "./exit-codes.ts";

const StackDocument = z.strictObject({
  kind: z.string().min(1).max(32),
  name: z.string().min(1).max(63),
  spec: z
    .record(z.string(), z.unknown())
    .nullish()
    .transform((spec) => spec ?? {}),
  dependsOn: z
    .array(z.string().min(1).max(63))
    .nullish()
    .transform((names) => names ?? []),
});

export interface StackManifest {
  kind: string;
  name: string;
  spec: Record<string, unknown>;
  dependsOn: string[];
  /** Where it was written, for messages: "stack.yaml#2". */
  source: string;
}

/** Reads and checks every document of the files ("-": standard input), in file order. */
export async function readManifests(
  files: readonly string[],
  readStdin: () => Promise<string>,
): Promise<StackManifest[]> {
  const manifests: StackManifest[] = [];
  for (const file of files) {
    const text = file === "-" ? await readStdin() : await readText(file);
    manifests.push(...parseManifests(text, file === "-" ? "<stdin>" : file));
  }
  if (manifests.length === 0) throw new CliError("no stacks in the given files", EXIT.usage);
  const seen = new Map<string, string>();
  for (const m of manifests) {
    const first = seen.get(m.name);
    if (first) throw new CliError(`${m.source}: stack "${m.name}" is also defined at ${first}`, EXIT.usage);
    seen.set(m.name, m.source);
  }
  return orderByDependencies(manifests);
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.usage);
  }
}

export function parseManifests(text: string, file: string): StackManifest[] {
  const result: StackManifest[] = [];
  parseAllDocuments(text).forEach((doc, index) => {
    const source = `${file}#${index + 1}`;
    const error = doc.errors[0];
    if (error) throw new CliError(`${source}: not valid YAML: ${error.message}`, EXIT.usage);
    const value = doc.toJS();
    if (value === null || value === undefined) return; // an empty document (e.g. a trailing ---)
    const parsed = StackDocument.safeParse(value);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(document)"}: ${i.message}`);
      throw new CliError(`${source}: ${issues.join("; ")}`, EXIT.usage);
    }
    result.push({ ...parsed.data, source });
  });
  return result;
}

/**
 * Dependencies first, otherwise in file order. Names not defined in the files are stacks that
 * must already exist; the API checks those. A cycle cannot be created and is refused here.
 */
export function orderByDependencies(manifests: readonly StackManifest[]): StackManifest[] {
  const byName = new Map(manifests.map((m) => [m.name, m]));
  const ordered: StackManifest[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (m: StackManifest, path: string[]) => {
    const now = state.get(m.name);
    if (now === "done") return;
    if (now === "visiting") {
      const cycle = [...path.slice(path.indexOf(m.name)), m.name].join(" → ");
      throw new CliError(`dependsOn has a cycle: ${cycle}`, EXIT.usage);
    }
    state.set(m.name, "visiting");
    for (const dep of m.dependsOn) {
      const inFile = byName.get(dep);
      if (inFile) visit(inFile, [...path, m.name]);
    }
    state.set(m.name, "done");
    ordered.push(m);
  };
  for (const m of manifests) visit(m, []);
  return ordered;
}
