// Scraping a Prometheus endpoint in tests: the text format parsed by parse-prometheus-text-format
// (an independent parser, so a malformed exposition fails the test), with lookups by labels.
// That parser folds a histogram's series into one, dropping their labels, so histograms are read
// from a second parse with their TYPE lines left out: each of _bucket, _sum and _count then comes
// back as plain families (one per series, gathered by name), every sample with its labels.
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
  /** Upper case, as the parser gives it: COUNTER, GAUGE, HISTOGRAM, SUMMARY, UNTYPED. */
  type: string;
  metrics: Sample[];
}

export interface Scrape {
  text: string;
  families: Map<string, Family>;
  /** Samples of a family whose labels include `labels` (a histogram's: one per label set). */
  samples(name: string, labels?: Record<string, string>): Sample[];
  /** The value (or a histogram's count) of the one sample matching, 0 when none. */
  value(name: string, labels?: Record<string, string>): number;
}

/** Families by name; a name met again (a histogram's _bucket lines, series after series) adds to it. */
const parse = (text: string) => {
  const families = new Map<string, Family>();
  for (const family of parsePrometheusTextFormat(text) as Family[]) {
    const known = families.get(family.name);
    if (known) known.metrics.push(...family.metrics);
    else families.set(family.name, family);
  }
  return families;
};

const sameLabels = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);

export async function scrape(url: string): Promise<Scrape> {
  const response = await fetch(url);
  if (response.status !== 200) throw new Error(`${url} answered ${response.status}`);
  const contentType = response.headers.get("content-type") ?? "";
  if (!contentType.startsWith("text/plain")) throw new Error(`${url} is ${contentType}, not text/plain`);
  const text = await response.text();
  const families = parse(text);
  const series = parse(text.replace(/^# TYPE \S+ histogram$/gm, ""));
  const plain = (name: string) => series.get(name)?.metrics ?? [];

  const histogram = (name: string): Sample[] =>
    plain(`${name}_count`).map(({ labels = {}, value }) => {
      const buckets: Record<string, string> = {};
      for (const bucket of plain(`${name}_bucket`)) {
        const { le, ...rest } = bucket.labels ?? {};
        if (le !== undefined && bucket.value !== undefined && sameLabels(rest, labels))
          buckets[le] = bucket.value;
      }
      const sum = plain(`${name}_sum`).find((s) => sameLabels(s.labels ?? {}, labels))?.value;
      return { labels, count: value, ...(sum === undefined ? {} : { sum }), buckets };
    });

  const samples = (name: string, labels: Record<string, string> = {}) => {
    const all =
      families.get(name)?.type === "HISTOGRAM" ? histogram(name) : (families.get(name)?.metrics ?? []);
    return all.filter((sample) =>
      Object.entries(labels).every(([key, value]) => sample.labels?.[key] === value),
    );
  };
  const value = (name: string, labels: Record<string, string> = {}) => {
    const found = samples(name, labels);
    if (found.length > 1)
      throw new Error(`${found.length} samples of ${name} match ${JSON.stringify(labels)}`);
    const sample = found[0];
    return sample ? Number(sample.value ?? sample.count) : 0;
  };
  return { text, families, samples, value };
}
