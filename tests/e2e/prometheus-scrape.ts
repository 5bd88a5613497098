// Scraping a Prometheus endpoint in tests: the text format parsed by parse-prometheus-text-format
// (an independent parser, so a malformed exposition fails the test), with lookups by labels.
import parsePrometheusTextFormat from "parse-prometheus-text-format";

export interface Sample {
  labels: Record<string, string>;
  /** Counters and gauges. */
  value?: string;
  /** Histograms. */
  count?: string;
  sum?: string;
  buckets?: Record<string, string>;
}
export interface Family {
  name: string;
  help: string;
  type: string;
  metrics: Sample[];
}

export interface Scrape {
  text: string;
  families: Map<string, Family>;
  /** Samples of a family whose labels include `labels`. */
  samples(name: string, labels?: Record<string, string>): Sample[];
  /** The value (or a histogram's count) of the one sample matching, 0 when none. */
  value(name: string, labels?: Record<string, string>): number;
}

export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  const contentType = response.headers.get("content-type") ?? "";
  if (!contentType.startsWith("text/plain")) throw new Error(`${url} is ${contentType}, not text/plain`);
  const text = await response.text();
  const families = new Map((parsePrometheusTextFormat(text) as Family[]).map((f) => [f.name, f]));
  const samples = (name: string, labels: Record<string, string> = {}) =>
    (families.get(name)?.metrics ?? []).filter((sample) =>
      Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value),
    );
  const value = (name: string, labels: Record<string, string> = {}) => {
    const found = samples(name, labels);
    if (found.length > 1)
      throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
    const sample = found[0];
    return sample ? Number(sample.value ?? sample.count) : 0;
  };
  return { text, families, samples, value };
}
