/**
 * A CloudTrail log file (`{"Records":[{...},{...}]}`) read one record at a
 * time as its bytes stream in, so memory holds one record, not the file: a
 * file that inflates to hundreds of MiB costs time (bounded by the caller's
 * output limit), never memory. The scan tracks only strings and nesting; each
 * record is parsed on its own.
 */

/** A record larger than this is not one CloudTrail wrote (an event is at most 256 KB). */
export const MAX_RECORD_BYTES = 1024 * 1024;

export class NotATrailFile extends Error {}

export class RecordSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  /** The last string that closed at depth 1: the key of the array that follows. */
  private key = "";
  private keyBytes: number[] | undefined;
  /** Inside the Records array: records start at depth 3. */
  private inRecords = false;
  private record: Buffer[] = [];
  private recordStart = -1;
  private recordSize = 0;
  private started = false;
  count = 0;

  /**
   * @param accept a cheap test of a record's text before it is parsed: a record it refuses is
   *   skipped unparsed (investigate looks for one package in files of thousands of records)
   */
  constructor(
    private readonly onRecord: (record: unknown) => void,
    private readonly accept?: (text: string) => boolean,
  ) {}

  push(chunk: Buffer): void {
    let from = this.recordStart >= 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (!this.started) {
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
        if (c !== 0x7b) throw new NotATrailFile("not a CloudTrail log file: it does not start with '{'");
        this.started = true;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === 0x5c) this.escaped = true;
        else if (c === 0x22) {
          this.inString = false;
          if (this.keyBytes) {
            this.key = Buffer.from(this.keyBytes).toString("utf8");
            this.keyBytes = undefined;
          }
        } else if (this.keyBytes && this.keyBytes.length < 64) this.keyBytes.push(c);
        continue;
      }
      if (c === 0x22) {
        this.inString = true;
        if (this.depth === 1) this.keyBytes = [];
      } else if (c === 0x7b || c === 0x5b) {
        this.depth++;
        if (this.depth === 2 && c === 0x5b) this.inRecords = this.key === "Records";
        if (this.depth === 3 && this.inRecords && c === 0x7b) {
          this.recordStart = i;
          from = i;
        }
      } else if (c === 0x7d || c === 0x5d) {
        if (this.depth === 3 && this.inRecords && c === 0x7d && from >= 0) {
          this.take(chunk.subarray(from, i + 1));
          this.finishRecord();
          from = -1;
        }
        this.depth--;
        if (this.depth < 0) throw new NotATrailFile("not a CloudTrail log file: unbalanced brackets");
        if (this.depth === 1) this.inRecords = false;
      }
    }
    if (from >= 0) this.take(chunk.subarray(from));
  }

  /** Throws when the file stopped in the middle: a cut-off file is not read as complete. */
  end(): void {
    if (!this.started) throw new NotATrailFile("not a CloudTrail log file: it is empty");
    if (this.depth !== 0 || this.inString) throw new NotATrailFile("not a CloudTrail log file: it is cut short");
  }

  private take(part: Buffer): void {
    this.recordSize += part.length;
    if (this.recordSize > MAX_RECORD_BYTES)
      throw new NotATrailFile(`not a CloudTrail log file: a record is larger than ${MAX_RECORD_BYTES / 1024} KiB`);
    this.record.push(Buffer.from(part));
  }

  private finishRecord(): void {
    const text = Buffer.concat(this.record).toString("utf8");
    this.record = [];
    this.recordSize = 0;
    this.recordStart = -1;
    if (this.accept && !this.accept(text)) {
      this.count++;
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new NotATrailFile(
        `not a CloudTrail log file: record ${this.count + 1} is not JSON (${(e as Error).message})`,
      );
    }
    this.count++;
    this.onRecord(value);
  }
}
