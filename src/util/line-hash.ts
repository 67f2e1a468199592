/**
 * The `primaryLocationLineHash` GitHub code scanning matches alerts by, computed the way its
 * upload action does (github/codeql-action, src/fingerprints.ts; written here from its
 * description and checked against its published test vectors): for each line, a rolling
 * polynomial hash (base 37, modulo 2^64) of the next 100 characters from the line's start,
 * spaces and tabs skipped, CR and CRLF read as LF, an end-of-file mark (65535) then zeros; equal
 * hashes are told apart by a count (`hash:1`, `hash:2`). Computing it here means the action
 * finds the value it would have computed, and alerts follow the line across runs.
 */
const BLOCK = 100;
const MOD = 37n;
const EOF = 65535;
const FIRST_MOD = (() => {
  let m = 1n;
  for (let i = 0; i < BLOCK; i++) m = BigInt.asUintN(64, m * MOD);
  return m;
})();

/** The hash of every line of `text`, line 1 first. */
export function lineHashes(text: string): string[] {
  const window: number[] = new Array(BLOCK).fill(0);
  const lineNumbers: number[] = new Array(BLOCK).fill(-1);
  const counts = new Map<string, number>();
  const out: string[] = [];
  let hash = 0n;
  let index = 0;
  let lineNumber = 0;
  let lineStart = true;
  let prevCR = false;

  const emit = () => {
    const hex = hash.toString(16);
    const n = (counts.get(hex) ?? 0) + 1;
    counts.set(hex, n);
    out[lineNumbers[index]! - 1] = `${hex}:${n}`;
    lineNumbers[index] = -1;
  };
  const update = (current: number) => {
    const begin = window[index]!;
    window[index] = current;
    hash = BigInt.asUintN(64, MOD * hash + BigInt(current) - FIRST_MOD * BigInt(begin));
    index = (index + 1) % BLOCK;
  };
  const take = (code: number) => {
    let current = code;
    if (current === 0x20 || current === 0x09 || (prevCR && current === 0x0a)) {
      prevCR = false;
      return;
    }
    if (current === 0x0d) {
      current = 0x0a;
      prevCR = true;
    } else prevCR = false;
    if (lineNumbers[index] !== -1) emit();
    if (lineStart) {
      lineStart = false;
      lineNumbers[index] = ++lineNumber;
    }
    if (current === 0x0a) lineStart = true;
    update(current);
  };

  for (let i = 0; i < text.length; i++) take(text.charCodeAt(i));
  take(EOF);
  for (let i = 0; i < BLOCK; i++) {
    if (lineNumbers[index] !== -1) emit();
    update(0);
  }
  return out;
}
