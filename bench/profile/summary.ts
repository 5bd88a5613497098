// `node bench/profile/summary.ts <file.cpuprofile> [top]`: where a CPU profile
// (node --cpu-prof) spent its time: self time per package (node_modules/<pkg>, node:internals,
// Gantry's own files) and the hottest functions, as shares of the samples.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error("usage: summary.ts <file.cpuprofile> [top]");
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const selfUs = new Map<number, number>();
for (const [i, id] of profile.samples.entries())
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

function owner(url: string, name: string): string {
  if (!url) return name.startsWith("(") ? name : "(native)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith("node:")) return "node:internals";
  const own = /\/(apps|packages)\/([^/]+)\//.exec(url);
  return own ? `gantry:${own[1]}/${own[2]}` : url;
}

const packages = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of selfUs) {
  const frame = byId.get(id)?.callFrame;
  if (!frame) continue;
  const pkg = owner(frame.url, frame.functionName);
  packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  const where = frame.url ? `${frame.url.replace(/^.*node_modules\//, "")}:${frame.lineNumber + 1}` : "";
  const fn = `${frame.functionName || "(anonymous)"} ${where}`;
  functions.set(fn, (functions.get(fn) ?? 0) + us);
}
const show = (title: string, entries: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [name, us] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, top))
    console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${name}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s of samples`);
show("self time by package", packages);
show("self time by function", functions);
