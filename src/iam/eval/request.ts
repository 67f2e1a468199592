/**
 * A simulated request: who asks, for what action on which resource, and the
 * request context. Context keys compare case-insensitively, so they are
 * stored lower-cased. A key in `unknowable` is present but its value cannot
 * be known (Cloudsmith's source IP): any condition on it is undecided.
 */
export type ContextValue = string | string[];

export interface Principal {
  /** "AWS" (a role session or user), "Service" (e.g. cloudtrail.amazonaws.com), or "Anonymous". */
  type: "AWS" | "Service" | "Anonymous";
  /** The account the principal belongs to (AWS principals). */
  account?: string;
  /** The IAM ARN: arn:aws:iam::<account>:role/<name> for a role session, :root for the account. */
  arn?: string;
  /** For a role session: arn:aws:sts::<account>:assumed-role/<name>/<session>. */
  sessionArn?: string;
  /** For a service principal: its name. */
  service?: string;
}

export interface Request {
  principal: Principal;
  action: string;
  resource: string;
  /** The resource's account: decides same-account versus cross-account evaluation. */
  resourceAccount: string;
  context: Record<string, ContextValue>;
  unknowable?: readonly string[];
}

/** A request with its context keys lower-cased, as the evaluator reads it. */
export interface NormalRequest extends Omit<Request, "context" | "unknowable"> {
  context: Map<string, ContextValue>;
  unknowable: Set<string>;
}

export function normalise(r: Request): NormalRequest {
  return {
    ...r,
    context: new Map(Object.entries(r.context).map(([k, v]) => [k.toLowerCase(), v])),
    unknowable: new Set((r.unknowable ?? []).map((k) => k.toLowerCase())),
  };
}
