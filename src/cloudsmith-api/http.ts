/**
 * One GET over node:http(s), lighter than fetch for thousands of pages: the
 * answer's status and headers, then its body read on demand with a size cap.
 * One deadline covers both; it says which part did not arrive in time.
 */
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { envProxyAgents } from "../util/proxy-agent.js";

export interface HttpAnswer {
  status: number;
  headers: { get(name: string): string | null };
  /** The body as UTF-8, at most `maxBytes`; rejects past it, or when the deadline passes. */
  text(maxBytes: number): Promise<string>;
  discard(): void;
}

/** The request did not get its headers in time: a network fault, like a refused connection. */
export class HeadersTimeout extends Error {
  override name = "TimeoutError";
}

export async function httpGet(url: URL, headers: Record<string, string>, timeoutMs: number): Promise<HttpAnswer> {
  // HTTPS_PROXY / NO_PROXY as every CI runner sets them: the API is reached through a CONNECT tunnel.
  const proxied = await envProxyAgents();
  const agent = proxied ? (url.protocol === "https:" ? proxied.https : proxied.http) : undefined;
  return new Promise((resolve, reject) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest;
    let answered: IncomingMessage | undefined;
    let onTimeout: (() => void) | undefined;
    let req: ReturnType<typeof send> | undefined;
    // One deadline for the headers and the whole body: a body that drips a byte at a time ends too.
    const timer = setTimeout(() => {
      if (!answered) {
        req?.destroy();
        reject(new HeadersTimeout(`no answer within ${timeoutMs / 1000} s`));
      } else onTimeout?.();
    }, timeoutMs);
    try {
      req = send(url, { method: "GET", headers, ...(agent ? { agent } : {}) }, (res) => {
        answered = res;
        resolve({
          status: res.statusCode ?? 0,
          headers: {
            get: (name) => {
              const v = res.headers[name.toLowerCase()];
              return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
            },
          },
          discard: () => {
            clearTimeout(timer);
            res.destroy();
          },
          text: (maxBytes) =>
            new Promise<string>((ok, fail) => {
              const chunks: Buffer[] = [];
              let size = 0;
              const stop = (e: Error) => {
                clearTimeout(timer);
                res.destroy();
                fail(e);
              };
              onTimeout = () => stop(new Error(`no complete answer within ${timeoutMs / 1000} s`));
              res.on("data", (c: Buffer) => {
                size += c.length;
                if (size > maxBytes) return stop(new Error(`larger than ${maxBytes / 2 ** 20} MiB`));
                chunks.push(c);
              });
              res.on("end", () => {
                clearTimeout(timer);
                ok(Buffer.concat(chunks).toString("utf8"));
              });
              res.on("error", (e) => stop(e));
            }),
        });
      });
    } catch (e) {
      // A header value Node refuses (the caller checks them first) must not leave the timer behind.
      clearTimeout(timer);
      reject(e);
      return;
    }
    req.on("error", (e) => {
      clearTimeout(timer);
      if (!answered) reject(e);
    });
    req.end();
  });
}
