/**
 * The one way the tool reads a JSON file a user hands it (config, synthesized
 * stack, plan, pull state): a regular file only, its size checked before a
 * byte is read, strict UTF-8, and a parse that names the line and column of
 * the first problem, refuses comments and duplicate keys (JSON.parse would
 * keep the last one without a word) and stops at a nesting depth no real
 * file reaches (a hostile one would overflow the stack).
 */
import { constants } from "node:fs";
import { open } from "node:fs/promises";
import { fileProblem } from "./errors.js";
import { lineColumn } from "./line-column.js";

/** A file the tool cannot take, as one line: the path and the problem. */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = "InputFileError";
  }
}

/** A JSON text that does not parse: where, and why, in words. */
export class JsonTextError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly reason: string,
    /** What the text is not ("not valid JSON"), or nothing when the reason says it. */
    prefix = "not valid JSON",
  ) {
    super(line === 0 ? reason : `${prefix ? `${prefix} at line` : "line"} ${line}, column ${column}: ${reason}`);
    this.name = "JsonTextError";
  }
}

export interface ReadLimits {
  /** The largest file taken, in bytes; the message gives both sizes. */
  maxBytes: number;
}

export const MiB = 2 ** 20;

const mib = (n: number): string => `${(n / MiB).toFixed(n < 10 * MiB ? 1 : 0)} MiB`;

/** What a path that is not a regular file is, for the message. */
function kindOf(stat: import("node:fs").Stats): string {
  if (stat.isDirectory()) return "a directory";
  if (stat.isCharacterDevice()) return "a device (like /dev/zero), not a file";
  if (stat.isFIFO()) return "a pipe, not a file";
  if (stat.isSocket()) return "a socket, not a file";
  return "not a regular file";
}

/**
 * The bytes of a regular file of at most `maxBytes`. Opened without blocking
 * (a FIFO would wait for a writer forever) and read no further than the cap
 * plus one byte, so a file that grows while read is refused, not followed.
 */
export async function readFileBytes(file: string, { maxBytes }: ReadLimits): Promise<Buffer> {
  let handle: import("node:fs/promises").FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw new InputFileError(file, fileProblem(e)?.replace(/^.*?: /, "") ?? (e as Error).message);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new InputFileError(file, kindOf(stat));
    if (stat.size > maxBytes)
      throw new InputFileError(file, `${mib(stat.size)}, larger than the ${mib(maxBytes)} this tool reads`);
    const buffer = Buffer.alloc(Math.min(maxBytes, stat.size) + 1);
    let length = 0;
    while (length < buffer.length) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
    }
    if (length > maxBytes) throw new InputFileError(file, `grew past the ${mib(maxBytes)} this tool reads`);
    return buffer.subarray(0, length);
  } catch (e) {
    if (e instanceof InputFileError) throw e;
    throw new InputFileError(file, fileProblem(e)?.replace(/^.*?: /, "") ?? (e as Error).message);
  } finally {
    await handle.close();
  }
}

/** Strict UTF-8 (a Latin-1 byte must not turn into U+FFFD inside a policy), without a byte-order mark. */
export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes).replace(/^\uFEFF/, "");
  } catch {
    const at = Math.max(0, firstInvalidUtf8(bytes));
    const before = bytes.subarray(0, at);
    const lineStart = before.lastIndexOf(0x0a) + 1;
    throw new JsonTextError(
      before.filter((b) => b === 0x0a).length + 1,
      at - lineStart + 1,
      `byte ${at + 1} is not UTF-8: save the file as UTF-8`,
      "not valid UTF-8",
    );
  }
}

/** The index of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const x = b[i]!;
    const n = x < 0x80 ? 0 : x >= 0xc2 && x <= 0xdf ? 1 : x >= 0xe0 && x <= 0xef ? 2 : x >= 0xf0 && x <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k]! & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}

/** Deeper than any config, stack or plan (Terraform's run to about 30); far below a stack overflow. */
export const MAX_JSON_DEPTH = 256;

/** The offset where nesting first passes `max` levels, or -1; a linear scan with no recursion. */
function tooDeepAt(text: string, max: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return -1;
}

const REASONS: Record<string, string> = {
  InvalidSymbol: "unexpected character",
  InvalidNumberFormat: "not a valid number",
  PropertyNameExpected: "a field name in double quotes was expected",
  ValueExpected: "a value was expected",
  ColonExpected: "':' was expected after the field name",
  CommaExpected: "',' was expected",
  CloseBraceExpected: "'}' was expected (is the file cut short?)",
  CloseBracketExpected: "']' was expected (is the file cut short?)",
  EndOfFileExpected: "the file should end here (text after the JSON value)",
  InvalidCommentToken: "comments (// or /* */) are not allowed in JSON: remove it",
  UnexpectedEndOfComment: "a comment is not closed",
  UnexpectedEndOfString: "a string is not closed (is the file cut short?)",
  UnexpectedEndOfNumber: "a number is cut short",
  InvalidUnicode: "a \\u escape is not valid",
  InvalidEscapeCharacter: "not a valid escape after \\",
  InvalidCharacter: "a control character inside a string must be escaped",
};

/**
 * Parses JSON text strictly. Throws JsonTextError naming the line and column
 * of the first problem; a key that appears twice in one object is a problem,
 * naming both lines.
 */
export async function parseJsonText(text: string, { maxDepth = MAX_JSON_DEPTH } = {}): Promise<unknown> {
  const at = (offset: number, reason: string, prefix?: string): JsonTextError => {
    const lc = lineColumn(text, offset);
    return new JsonTextError(lc.line, lc.column, reason, prefix);
  };
  if (text.trim() === "") throw new JsonTextError(0, 0, "the file is empty", "");
  if (/^\s*</.test(text)) throw at(text.indexOf("<"), "'<': an HTML or XML page, not JSON");
  const deep = tooDeepAt(text, maxDepth);
  if (deep >= 0) throw at(deep, `nested deeper than ${maxDepth} levels`, "");

  // Loaded when a file is read: nothing on the --help path pays for it.
  const { visit, printParseErrorCode } = await import("jsonc-parser");
  let problem: JsonTextError | undefined;
  const keys: Array<Map<string, number>> = [];
  visit(
    text,
    {
      onObjectBegin: () => {
        keys.push(new Map());
      },
      onObjectEnd: () => {
        keys.pop();
      },
      onObjectProperty: (name, offset) => {
        const seen = keys[keys.length - 1];
        if (!seen || problem) return;
        const first = seen.get(name);
        if (first !== undefined) {
          problem = at(
            offset,
            `the key ${JSON.stringify(name).slice(0, 80)} appears twice in one object (lines ${lineColumn(text, first).line} and ${lineColumn(text, offset).line}); keep one`,
            "",
          );
        } else seen.set(name, offset);
      },
      onError: (code, offset) => {
        if (problem) return;
        const name = printParseErrorCode(code);
        problem = at(offset, REASONS[name] ?? name);
      },
    },
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
  if (problem) throw problem;
  try {
    return JSON.parse(text);
  } catch (e) {
    // The scan above accepts what JSON.parse accepts; kept so a disagreement is a clear line, not a crash.
    const position = /at position (\d+)/.exec((e as Error).message);
    throw at(Number(position?.[1] ?? 0), (e as Error).message.replace(/\s*in JSON at position.*$/s, ""));
  }
}

/** Reads, decodes and parses a JSON file; every failure is an InputFileError naming the file. */
export async function readJsonFile(
  file: string,
  limits: ReadLimits,
): Promise<{ file: string; text: string; value: unknown }> {
  const bytes = await readFileBytes(file, limits);
  try {
    const text = decodeUtf8(bytes);
    return { file, text, value: await parseJsonText(text) };
  } catch (e) {
    if (e instanceof JsonTextError) throw new InputFileError(file, e.message);
    throw e;
  }
}
