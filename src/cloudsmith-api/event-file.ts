/**
 * Pulled events on disk, not in memory: each is appended to a temporary file
 * (random name, created exclusively) as it arrives, with only its time, offset
 * and length kept in typed arrays (16 bytes an event). At the end the lines
 * are copied out oldest first into the target, written whole or not at all
 * (rename), or to stdout.
 */
import { randomBytes } from "node:crypto";
import { closeSync, constants, fsyncSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import type { AuditEvent } from "./client.js";

const FLAGS = constants.O_RDWR | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0);
const FLUSH_AT = 1 << 20;

const tempBeside = (target: string, tag: string) =>
  join(dirname(target), `.${basename(target)}.${tag}.${randomBytes(8).toString("hex")}.tmp`);

export class EventFile {
  private readonly path: string;
  private readonly fd: number;
  private times = new Float64Array(1024);
  private offsets = new Uint32Array(1024);
  private lengths = new Uint32Array(1024);
  private n = 0;
  private size = 0;
  private pending: string[] = [];
  private pendingBytes = 0;

  /** `near`: the output file (the temporary file goes beside it), or a folder for stdout. */
  constructor(near: string) {
    this.path = tempBeside(resolve(near), "events");
    mkdirSync(dirname(this.path), { recursive: true });
    this.fd = openSync(this.path, FLAGS, 0o600);
  }

  get count(): number {
    return this.n;
  }

  add(e: AuditEvent): void {
    const line = `${jsonLine(e)}\n`;
    const bytes = Buffer.byteLength(line);
    // Offsets are 32-bit: far beyond the 2,000,000-event cap of a pull (about 500 MB).
    if (this.size + bytes > 0xffffffff) throw new Error("more than 4 GiB of events in one pull: stopped");
    if (this.n === this.times.length) this.grow();
    const t = Date.parse(String(e.event_at));
    this.times[this.n] = Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
    this.offsets[this.n] = this.size;
    this.lengths[this.n] = bytes;
    this.n++;
    this.size += bytes;
    this.pending.push(line);
    this.pendingBytes += bytes;
    if (this.pendingBytes >= FLUSH_AT) this.flush();
  }

  private grow(): void {
    const cap = this.times.length * 2;
    const t = new Float64Array(cap);
    t.set(this.times);
    const o = new Uint32Array(cap);
    o.set(this.offsets);
    const l = new Uint32Array(cap);
    l.set(this.lengths);
    [this.times, this.offsets, this.lengths] = [t, o, l];
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join(""));
    this.pending = [];
    this.pendingBytes = 0;
  }

  /** Copies the lines out, oldest first (arrival order among equal times), through one reused buffer. */
  private copySorted(write: (chunk: Buffer) => void): void {
    this.flush();
    const order = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) order[i] = i;
    order.sort((a, b) => this.times[a]! - this.times[b]! || a - b);
    let buf = Buffer.allocUnsafe(FLUSH_AT);
    let used = 0;
    for (const i of order) {
      const len = this.lengths[i]!;
      if (used + len > buf.length) {
        if (used > 0) write(Buffer.from(buf.subarray(0, used)));
        used = 0;
        if (len > buf.length) buf = Buffer.allocUnsafe(len);
      }
      readSync(this.fd, buf, used, len, this.offsets[i]!);
      used += len;
    }
    if (used > 0) write(Buffer.from(buf.subarray(0, used)));
  }

  /** Writes the events, oldest first, to `target` whole or not at all. */
  commit(target: string): void {
    const final = tempBeside(resolve(target), "out");
    const fd = openSync(final, FLAGS, 0o644);
    try {
      this.copySorted((chunk) => writeSync(fd, chunk));
      fsyncSync(fd);
      closeSync(fd);
      renameSync(final, resolve(target));
    } catch (e) {
      rmSync(final, { force: true });
      throw e;
    } finally {
      this.discard();
    }
  }

  /** Writes the events, oldest first, to a stream (stdout). */
  commitTo(write: (chunk: Buffer) => void): void {
    try {
      this.copySorted(write);
    } finally {
      this.discard();
    }
  }

  discard(): void {
    try {
      closeSync(this.fd);
    } catch {
      // already closed
    }
    rmSync(this.path, { force: true });
  }
}

/**
 * One event as JSON with C1 controls, bidirectional overrides and line separators written as
 * \u escapes: the same JSON to any parser, and nothing a terminal acts on when stdout is one
 * (JSON.stringify escapes only C0 controls).
 */
export const jsonLine = (e: unknown): string =>
  JSON.stringify(e).replace(
    /[\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
