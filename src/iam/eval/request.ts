/**
 * A simulated request: who asks, for what action on which resource, and the
 * request context. Context keys compare case-insensitively, so they are
 * stored lower-cased. A key in `unknowable` is present but its value cannot
 * be known (Cloudsmith's source IP): any condition on it is undecided.
 */
export type ContextValue = string | string[];

export interface Principal {
  /** "AWS" (a role session or user), "Service" (e.g. cloudtrail.amazonaws.com), "Federated" (a web-identity or SAML provider), or "Anonymous". */
  type: "AWS" | "Service" | "Federated" | "Anonymous";
  /** The account the principal belongs to (AWS principals). */
  account?: string;
  /** The IAM ARN: arn:aws:iam::<account>:role/<name> for a role session, :root for the account. */
  arn?: string;
  /** For a role session: arn:aws:sts::<account>:assumed-role/<name>/<session>. */
  sessionArn?: string;
  /** For a service principal: its name. */
  service?: string;
  /** For a federated principal: the identity provider (an OIDC or SAML provider ARN, or e.g. accounts.google.com). */
  provider?: string;
}

export interface Request {
  principal: Principal;
  action: string;
  resource: string;
  /** The resource's account: decides same-account versus cross-account evaluation. */
  resourceAccount: string;
  context: Record<string, ContextValue>;
  /** Keys present with a value that cannot be known; `prefix:*` stands for every key of that prefix (a provider's claims). */
  unknowable?: readonly string[];
}

/** A request with its context keys lower-cased, as the evaluator reads it. */
export interface NormalRequest extends Omit<Request, "context" | "unknowable"> {
  context: Map<string, ContextValue>;
  unknowable: { has(key: string): boolean };
}

function unknowableSet(keys: readonly string[]): { has(key: string): boolean } {
  const exact = new Set(keys.filter((k) => !k.endsWith("*")).map((k) => k.toLowerCase()));
  const prefixes = keys.filter((k) => k.endsWith("*")).map((k) => k.slice(0, -1).toLowerCase());
  return { has: (key) => exact.has(key) || prefixes.some((p) => key.startsWith(p)) };
}

export function normalise(r: Request): NormalRequest {
  return {
    ...r,
    context: new Map(Object.entries(r.context).map(([k, v]) => [k.toLowerCase(), v])),
    unknowable: unknowableSet(r.unknowable ?? []),
  };
}

/** What cannot be known about a caller from outside the account: where and when it calls from. */
export const OUTSIDER_UNKNOWABLE: readonly string[] = [
  "aws:SourceIp",
  "aws:SourceVpc",
  "aws:SourceVpce",
  "aws:UserAgent",
  "aws:CurrentTime",
  "aws:EpochTime",
];
