/** A budget: a measured value against its target, met or missed. */
export interface Check {
  what: string;
  value: number;
  op: "<=" | ">=";
  target: number;
  unit: string;
  /** How the value was measured (the two sides, the load). */
  detail: string;
}

export const met = (c: Check): boolean => (c.op === "<=" ? c.value <= c.target : c.value >= c.target);
