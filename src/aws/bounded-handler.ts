/**
 * The SDK's Node HTTP handler with the bounds it lacks. Its requestTimeout is
 * an idle timer: a body that drips one byte every few seconds, or headers
 * followed by nothing, keeps it waiting for ever. Here every attempt has one
 * deadline for headers and the whole body, every answer but an object's
 * content has a size cap (a 300 MB "policy" is refused, not parsed), and a
 * successful answer without AWS's request id (a proxy's HTML page, an empty
 * 200 from something that is not AWS) is an error, never a value.
 */
import { type Readable, Transform } from "node:stream";
import { cjs } from "../util/cjs.js";
import { envProxyAgents } from "../util/proxy-agent.js";

export interface Bounds {
  /** One attempt, headers and body, of any call but GetObject. */
  deadlineMs: number;
  /** GetObject: its body is streamed and capped by the caller (through gunzip), so only its time is bounded here. */
  streamDeadlineMs: number;
  /** The largest answer read, but GetObject's. */
  maxBodyBytes: number;
}

/**
 * The largest AWS answer the tool reads is a listing page (1,000 keys, each at most 1 KiB with
 * about 300 bytes of XML around it: 1.3 MB at the very worst); a policy is at most 20 KB.
 */
export const DEFAULT_BOUNDS: Bounds = { deadlineMs: 30_000, streamDeadlineMs: 120_000, maxBodyBytes: 2 * 2 ** 20 };

/**
 * Bytes of answers being read at once, across every client of the process: reads run
 * concurrently, so a per-answer cap alone would let twenty hostile answers hold twenty caps.
 */
const IN_FLIGHT_BUDGET = 16 * 2 ** 20;
let inFlight = 0;

/** An attempt that did not complete in time; the SDK retries errors of this name. */
export class AnswerTimeout extends Error {
  override name = "TimeoutError";
}

/** An answer that is not from AWS, or not one AWS would send. */
export class NotAws extends Error {
  override name = "NotAwsAnswer";
}

interface SmithyRequest {
  method: string;
  hostname: string;
  path: string;
  query?: Record<string, unknown>;
}
interface SmithyResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: unknown;
}
interface Handler {
  handle(request: SmithyRequest, options?: { abortSignal?: AbortSignalLike }): Promise<{ response: SmithyResponse }>;
  updateHttpClientConfig(key: never, value: never): void;
  httpHandlerConfigs(): unknown;
  destroy(): void;
  metadata?: unknown;
}
interface AbortSignalLike {
  aborted: boolean;
  addEventListener?: (type: "abort", listener: () => void) => void;
  onabort?: unknown;
}

/** Every AWS service names the request: S3 in x-amz-request-id, the others in x-amzn-RequestId. */
const REQUEST_ID = ["x-amz-request-id", "x-amzn-requestid", "x-amzn-request-id", "x-amz-id-2"];

const hasRequestId = (headers: Record<string, string>): boolean =>
  Object.keys(headers).some((h) => REQUEST_ID.includes(h.toLowerCase()));

export class BoundedHttpHandler {
  readonly metadata = { handlerProtocol: "http/1.1" };

  private constructor(
    private readonly inner: Handler,
    private readonly bounds: Bounds,
  ) {}

  /** A handler over the SDK's own, loaded lazily with it. */
  static async create(
    options: { connectionTimeout: number; requestTimeout: number },
    bounds: Bounds = DEFAULT_BOUNDS,
  ): Promise<BoundedHttpHandler> {
    const { NodeHttpHandler } = cjs(await import("@smithy/node-http-handler"));
    // HTTPS_PROXY / HTTP_PROXY / NO_PROXY, as the AWS CLI reads them.
    const proxied = await envProxyAgents();
    const inner = new NodeHttpHandler({
      ...options,
      throwOnRequestTimeout: true,
      ...(proxied ? { httpAgent: proxied.http, httpsAgent: proxied.https } : {}),
    }) as unknown as Handler;
    return new BoundedHttpHandler(inner, bounds);
  }

  updateHttpClientConfig(key: never, value: never): void {
    this.inner.updateHttpClientConfig(key, value);
  }

  httpHandlerConfigs(): unknown {
    return this.inner.httpHandlerConfigs();
  }

  destroy(): void {
    this.inner.destroy();
  }

  async handle(
    request: SmithyRequest,
    options: { abortSignal?: AbortSignalLike } = {},
  ): Promise<{ response: SmithyResponse }> {
    const streaming = request.method === "GET" && request.query?.["x-id"] === "GetObject";
    const deadlineMs = streaming ? this.bounds.streamDeadlineMs : this.bounds.deadlineMs;
    const what = `${request.hostname}${request.path}`.slice(0, 200);
    const controller = new AbortController();
    const outer = options.abortSignal;
    if (outer?.aborted) controller.abort();
    else outer?.addEventListener?.("abort", () => controller.abort());

    let bounded: Transform | undefined;
    let timedOut = false;
    const timeout = () =>
      new AnswerTimeout(`the answer from ${what} did not complete within ${deadlineMs / 1000} s (headers and body)`);
    const timer = setTimeout(() => {
      timedOut = true;
      if (bounded) bounded.destroy(timeout());
      else controller.abort();
    }, deadlineMs);

    let result: { response: SmithyResponse };
    try {
      result = await this.inner.handle(request, { ...options, abortSignal: controller.signal });
    } catch (e) {
      clearTimeout(timer);
      throw timedOut ? timeout() : e;
    }
    const res = result.response;
    const body = res.body as Readable | undefined;
    if (res.statusCode >= 200 && res.statusCode < 300 && !hasRequestId(res.headers)) {
      clearTimeout(timer);
      body?.destroy?.();
      throw new NotAws(
        `the answer from ${request.hostname} (${res.statusCode}, ${res.headers["content-type"] ?? "no content type"}) carries no AWS request id: not from AWS (a proxy's page?), not used`,
      );
    }
    if (!body || typeof body.pipe !== "function") {
      clearTimeout(timer);
      return result;
    }
    const cap = streaming ? Number.POSITIVE_INFINITY : this.bounds.maxBodyBytes;
    let size = 0;
    bounded = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        if (!streaming) inFlight += chunk.length;
        if (size > cap)
          done(
            new NotAws(
              `the answer from ${what} is larger than ${cap / 2 ** 20} MiB, more than any AWS answer this tool reads: not read further`,
            ),
          );
        else if (!streaming && inFlight > IN_FLIGHT_BUDGET)
          done(
            new NotAws(
              `answers being read at once passed ${IN_FLIGHT_BUDGET / 2 ** 20} MiB (the one from ${what} at ${Math.round(size / 1024)} KiB): not read further`,
            ),
          );
        else done(null, chunk);
      },
    });
    const out = bounded;
    body.on("error", (e) => out.destroy(e));
    out.on("close", () => {
      clearTimeout(timer);
      if (!streaming) inFlight -= size;
      body.destroy();
    });
    body.pipe(out);
    res.body = out;
    return result;
  }
}
