export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const types = new Set(["counter", "gauge", "histogram", "summary", "untyped"]);
const suffixes: Record<string, string[]> = {
  counter: [""],
  gauge: [""],
  untyped: [""],
  histogram: ["_bucket", "_sum", "_count"],
  summary: ["", "_sum", "_count"],
};

// Values are read as Go's ParseFloat reads them, as Prometheus does: NaN and Inf in any letter case.
function parseValue(text: string, line: number): number {
  if (/^\+?inf$/i.test(text)) return Number.POSITIVE_INFINITY;
  if (/^-inf$/i.test(text)) return Number.NEGATIVE_INFINITY;
  if (/^nan$/i.test(text)) return Number.NaN;
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) throw new Error(`line ${line}: bad value ${JSON.stringify(text)}`);
  return Number(text);
}

function parseLabels(text: string, line: number): Record<string, string> {
  const labels: Record<string, string> = {};
  let rest = text;
  while (rest.length > 0) {
    const match = /^([^=]+)="((?:[^"\\\n]|\\["\\n])*)"(,|$)/.exec(rest);
    if (!match) throw new Error(`line ${line}: bad labels ${JSON.stringify(text)}`);
    const [whole, name, raw] = match as unknown as [string, string, string];
    if (!labelName.test(name)) throw new Error(`line ${line}: bad label name ${JSON.stringify(name)}`);
    if (name in labels) throw new Error(`line ${line}: label ${name} twice`);
    labels[name] = raw.replace(/\\(["\\n])/g, (_m, c: string) => (c === "n" ? "\n" : c));
    rest = rest.slice(whole.length);
  }
  return labels;
}

/**
 * A strict reader of the Prometheus text exposition format (version 0.0.4): every line must be a HELP or
 * TYPE comment or a sample of a family whose TYPE came first, with valid names, label syntax and values.
 * Throws on the first line that is not; returns the samples.
 */
export function parsePrometheusText(text: string): Sample[] {
  if (!text.endsWith("\n")) throw new Error("exposition must end with a line feed");
  const families = new Map<string, string>();
  const samples: Sample[] = [];
  text
    .slice(0, -1)
    .split("\n")
    .forEach((content, index) => {
      const line = index + 1;
      // The format ignores empty lines (prom-client puts one between families).
      if (content === "") return;
      if (content.startsWith("#")) {
        const comment = /^# (HELP|TYPE) (\S+) (.*)$/.exec(content);
        if (!comment) throw new Error(`line ${line}: bad comment ${JSON.stringify(content)}`);
        const [, kind, name, rest] = comment as unknown as [string, string, string, string];
        if (!metricName.test(name)) throw new Error(`line ${line}: bad metric name ${name}`);
        if (kind === "TYPE") {
          if (!types.has(rest)) throw new Error(`line ${line}: unknown type ${rest}`);
          if (families.has(name)) throw new Error(`line ${line}: TYPE of ${name} twice`);
          families.set(name, rest);
        }
        return;
      }
      const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)(?: (-?\d+))?$/.exec(content);
      if (!sample) throw new Error(`line ${line}: bad sample ${JSON.stringify(content)}`);
      const [, name, labelText, valueText] = sample as unknown as [string, string, string | undefined, string];
      const family = [...families.entries()].find(([base, type]) =>
        suffixes[type]!.some((suffix) => name === base + suffix),
      );
      if (!family) throw new Error(`line ${line}: sample ${name} before its TYPE`);
      samples.push({ name, labels: labelText ? parseLabels(labelText, line) : {}, value: parseValue(valueText, line) });
    });
  return samples;
}

export function sampleValue(samples: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
}
