/**
 * Facts are what collectors found, each in one of five states. Rules never
 * see a failed read as "not configured": `error` and `unknown` become ERROR
 * results, `skip` becomes SKIPPED, and only `present`/`absent` are decided on.
 */
export type Fact<T> =
  | { state: "present"; value: T }
  /** The read succeeded and the thing does not exist (e.g. NoSuchBucketPolicy). */
  | { state: "absent"; detail: string }
  /** The read failed: access denied, throttled after retries, network. */
  | { state: "error"; detail: string }
  /** Static sources: the value is known only after apply. */
  | { state: "unknown"; detail: string }
  /** Not observable from this source (e.g. an existing bucket in static mode). */
  | { state: "skip"; detail: string };

export const present = <T>(value: T): Fact<T> => ({ state: "present", value });
export const absent = <T>(detail: string): Fact<T> => ({ state: "absent", detail });
export const failed = <T>(detail: string): Fact<T> => ({ state: "error", detail });
export const unknown = <T>(detail: string): Fact<T> => ({ state: "unknown", detail });
export const skip = <T>(detail: string): Fact<T> => ({ state: "skip", detail });

/** Thrown by `read` when a fact cannot be decided on; the engine turns it into ERROR or SKIPPED. */
export class Undecidable extends Error {
  constructor(
    readonly status: "ERROR" | "SKIPPED",
    message: string,
  ) {
    super(message);
    this.name = "Undecidable";
  }
}

/** The value of a fact, `undefined` when absent; a failed, unknown or unobservable read stops the rule. */
export function read<T>(fact: Fact<T>, what: string): T | undefined {
  switch (fact.state) {
    case "present":
      return fact.value;
    case "absent":
      return undefined;
    case "error":
      throw new Undecidable("ERROR", `could not read ${what}: ${fact.detail}`);
    case "unknown":
      throw new Undecidable("ERROR", `${what} is known only after apply: ${fact.detail}`);
    case "skip":
      throw new Undecidable("SKIPPED", `${what}: ${fact.detail}`);
  }
}

/** Turns a thrown error into a fact's detail: the error's name and message. */
export type Describe = (error: unknown) => string;

/** What the SDK leaves on an error it could not name (a bare 403, a body that is not AWS's). */
const HTTP_NAMES: Record<number, string> = {
  301: "PermanentRedirect (the resource is in another region)",
  400: "BadRequest",
  401: "Unauthorized",
  403: "AccessDenied",
  404: "NotFound",
  429: "Throttling",
  500: "InternalError",
  502: "BadGateway",
  503: "ServiceUnavailable",
};

interface SdkErrorShape {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number };
  /** Set by the AWS clients (aws/clients.ts): the call, and the IAM permission it needs. */
  $operation?: string;
  $permission?: string;
}

/**
 * One line a user can act on: the service's error code (or, when the SDK could not read one, the
 * HTTP status in words), the call and the permission it needs, then the cause. Never the SDK's
 * internals ("UnknownError", "Deserialization error ... $response").
 */
export const describeError: Describe = (e) => {
  const err = e as SdkErrorShape;
  const status = err.$metadata?.httpStatusCode ?? err.$response?.statusCode;
  let name = err.name ?? "Error";
  let message = (err.message ?? String(e)).replace(/\s*\n\s*/g, " ").trim();
  if (
    /Deserialization error|Unexpected token|is not valid JSON|Expected closing tag/i.test(message) ||
    name === "SyntaxError"
  ) {
    name = status ? (HTTP_NAMES[status] ?? `HTTP ${status}`) : "UnreadableResponse";
    message = `the endpoint answered${status ? ` HTTP ${status}` : ""} with a body that is not an AWS response (a proxy or firewall page, or a wrong --endpoint-url?)`;
  } else if ((name === "Unknown" || name === "UnknownError" || name === "Error" || /^\d+$/.test(name)) && status) {
    // HEAD requests have no error body: the SDK names the error after the status code.
    name = HTTP_NAMES[status] ?? `HTTP ${status}`;
    if (/^(UnknownError|Unknown|\d+|)$/.test(message)) message = `HTTP ${status} without an error code`;
  }
  if (name === "CredentialsProviderError")
    message = `no AWS credentials (${message}); looked in the environment, AWS_PROFILE or --profile, ~/.aws, SSO and the instance role`;
  const denied = /AccessDenied|Forbidden|NotAuthorized|Unauthorized/i.test(name) || status === 403;
  const call = err.$operation
    ? ` (${err.$operation}${denied && err.$permission ? `, which needs ${err.$permission}` : ""})`
    : "";
  return message && message !== name && message !== err.name ? `${name}${call}: ${message}` : `${name}${call}`;
};

/**
 * Runs one read and never throws: its value is `present`, an error whose name
 * is in `absentOn` is `absent` (the documented "not found"), anything else is
 * `error`. The one wrapper every collector uses.
 */
export async function attempt<T>(
  call: () => Promise<T>,
  opts: { absentOn?: readonly string[]; describe?: Describe } = {},
): Promise<Fact<T>> {
  try {
    return present(await call());
  } catch (e) {
    const name = (e as { name?: string }).name ?? "";
    return opts.absentOn?.includes(name) ? absent(name) : failed((opts.describe ?? describeError)(e));
  }
}

/** Resolves a fact produced from another fact, carrying a non-present state through unchanged.
 * (Not named `then`: a module exporting `then` is a thenable, and `await import()` of it never settles.) */
export async function andThen<A, B>(fact: Fact<A>, next: (a: A) => Promise<Fact<B>>): Promise<Fact<B>> {
  return fact.state === "present" ? next(fact.value) : (fact as unknown as Fact<B>);
}
