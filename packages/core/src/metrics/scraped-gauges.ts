// Gauges filled at scrape time from one read of a store (Postgres, Redis): the read is cached for a
// while, so several scrapers (or API replicas) cost one read per period; the gauges are filled by
// one refresh per scrape, since prom-client calls every gauge's `collect` side by side; and a
// failed read leaves the last values in place and sets the `ok` gauge to 0.
import { Gauge, type Registry } from "prom-client";
import { cachedRead } from "./cached-read.ts";

export interface ScrapedSource<T> {
  read: () => Promise<T>;
  /** How long one read serves scrapes (ms). */
  cacheMs: number;
  onError: (err: unknown) => void;
  /** The gauge that says whether the last read succeeded (1) or not (0). */
  ok: { name: string; help: string };
}

export interface ScrapedGauges<T> {
  gauge<L extends string = never>(config: {
    name: string;
    help: string;
    labelNames?: readonly L[];
  }): Gauge<L>;
  /** What to set from each read; call once, after the gauges are defined. */
  fill(set: (value: T) => void): void;
}

export function scrapedGauges<T>(registry: Registry, source: ScrapedSource<T>): ScrapedGauges<T> {
  const read = cachedRead(source.read, source.cacheMs);
  let set: (value: T) => void = () => {};
  let refreshing: Promise<void> | undefined;
  const refresh = async () => {
    try {
      set(await read());
      ok.set(1);
    } catch (err) {
      source.onError(err);
      ok.set(0);
    }
  };
  const collect = () => {
    refreshing ??= refresh().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };
  const gauge = <L extends string = never>(config: {
    name: string;
    help: string;
    labelNames?: readonly L[];
  }) => new Gauge<L>({ ...config, registers: [registry], collect });
  const ok = gauge(source.ok);
  return {
    gauge,
    fill(fill) {
      set = fill;
    },
  };
}
