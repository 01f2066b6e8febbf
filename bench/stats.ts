/** What every part of `npm run bench` shares: a table row and the few statistics the rows use. */
export interface Row {
  metric: string;
  value: number;
  unit: string;
  goal: string;
  /** null: reported, no goal. */
  pass: boolean | null;
}

/** The rows and notes one run collects; bench/run.ts prints them. */
export interface Report {
  rows: Row[];
  notes: string[];
}

export const quantile = (values: number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
};
export const median = (values: number[]): number => quantile(values, 0.5);
export const round = (n: number, digits = 3): number => Number(n.toFixed(digits));
