/**
 * AWS errors in one line a user can act on. The SDK's errors carry the HTTP
 * status and (from aws/clients.ts) the call and the permission it needs; this
 * turns them into "AccessDenied (S3.GetBucketPolicy, which needs
 * s3:GetBucketPolicy): ..." and never shows the SDK's internals.
 */
import { attempt, type Describe, type Fact } from "../engine/fact.js";

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

/** `attempt` for AWS reads: a failure's detail is describeError's line. */
export const attemptAws = <T>(call: () => Promise<T>, opts: { absentOn?: readonly string[] } = {}): Promise<Fact<T>> =>
  attempt(call, { ...opts, describe: describeError });
