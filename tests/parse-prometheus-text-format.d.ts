// The package ships no types; tests/e2e/prometheus-scrape.ts types what it returns.
declare module "parse-prometheus-text-format" {
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
