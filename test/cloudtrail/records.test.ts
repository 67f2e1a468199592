/**
 * The streaming reader of CloudTrail log files gives the records JSON.parse gives, however the
 * bytes are cut into chunks (the vendor's sample files, at every split), and refuses what is not
 * a complete CloudTrail file.
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { NotATrailFile, RecordSplitter } from "../../src/cloudtrail/records.js";

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

function split(bytes: Buffer, cuts: number[]): unknown[] {
  const out: unknown[] = [];
  const s = new RecordSplitter((r) => out.push(r));
  let from = 0;
  for (const at of [...new Set(cuts)].sort((a, b) => a - b)) {
    s.push(bytes.subarray(from, at));
    from = at;
  }
  s.push(bytes.subarray(from));
  s.end();
  return out;
}

describe("RecordSplitter", () => {
  for (const name of ["cloudtrail-codeartifact.json", "cloudtrail-s3.json"]) {
    it(`${name}: the records JSON.parse gives, at any chunking`, () => {
      const bytes = fixture(name);
      const expected = JSON.parse(bytes.toString("utf8")).Records;
      expect(split(bytes, [])).toEqual(expected);
      for (let i = 1; i < bytes.length; i += 7) expect(split(bytes, [i])).toEqual(expected);
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 40 }), (cuts) => {
          expect(split(bytes, cuts)).toEqual(expected);
        }),
        { numRuns: 200 },
      );
    });
  }

  it("strings holding brackets, quotes and escapes do not confuse it", () => {
    const records = [{ a: '}{][\\"', b: { c: ["]", "}"] } }, { d: "\\" }];
    const bytes = Buffer.from(JSON.stringify({ Records: records }));
    for (let i = 1; i < bytes.length; i++) expect(split(bytes, [i])).toEqual(records);
  });

  it("only the Records array holds records", () => {
    const bytes = Buffer.from(JSON.stringify({ Other: [{ x: 1 }], Records: [{ y: 2 }] }));
    expect(split(bytes, [])).toEqual([{ y: 2 }]);
  });

  it.each([
    ["", /it is empty/],
    ['{"Records":[{"a":1},', /it is cut short/],
    ["<html>", /does not start with/],
    ['{"Records":[{"a":1}]}}', /unbalanced/],
    ['{"Records":[{"a":tru}]}', /record 1 is not JSON/],
  ])("%j is refused", (text, problem) => {
    expect(() => split(Buffer.from(text), [])).toThrow(NotATrailFile);
    expect(() => split(Buffer.from(text), [])).toThrow(problem);
  });

  it("a record over 1 MiB is refused before it is held", () => {
    const s = new RecordSplitter(() => undefined);
    s.push(Buffer.from('{"Records":[{"a":"'));
    expect(() => {
      for (let i = 0; i < 2000; i++) s.push(Buffer.alloc(1024, 0x78));
    }).toThrow(/a record is larger than 1024 KiB/);
  });
});
