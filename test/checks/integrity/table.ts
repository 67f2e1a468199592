/** Rule tables for `verify --integrity`: validation reports each rule must pass, and reports it must not. */
import { failed } from "../../../src/engine/fact.js";
import { base } from "../../helpers/configs.js";
import { allPackFacts, integrity } from "../../helpers/facts.js";
import type { AreaTables } from "../../helpers/rule-table.js";

type F = Parameters<typeof integrity>[0];
/** An empty window on a trail that has delivered (validation on): the digests were deleted. */
const emptied = (f: F) => {
  integrity(f).digests = 0;
  integrity(f).signatures.valid = 0;
  integrity(f).tail =
    "no digest file between 2026-05-31T12:00:00Z and 2026-06-01T12:00:00Z although log file validation is on";
};
/** Log file validation is off: no digests are expected. */
const validationOff = (f: F) => {
  integrity(f).digests = 0;
  integrity(f).validationOff = true;
};
/** An empty window on a trail that has not delivered a digest yet. */
const notYet = (f: F) => (integrity(f).digests = 0);

export const TABLES: AreaTables = {
  "integrity.digest-signatures": {
    valid: [{ name: "24 valid signatures" }],
    invalid: [
      {
        name: "a forged digest",
        mutate: (f) => (integrity(f).signatures.invalid = ["d1: signature does not match"]),
        expect: "FAIL",
      },
      { name: "no digests in the window while validation is on", mutate: emptied, expect: "FAIL" },
      { name: "log file validation off: no digests expected", mutate: validationOff, expect: "SKIPPED" },
      { name: "no digest delivered yet", mutate: notYet, expect: "SKIPPED" },
      {
        name: "a digest signed with a key CloudTrail does not list",
        mutate: (f) => (integrity(f).signatures.invalid = ["d3: public key not found for fingerprint ab12"]),
        expect: "FAIL",
      },
      { name: "the digests cannot be read", mutate: (f) => (f.integrity = failed("AccessDenied")), expect: "ERROR" },
      {
        name: "no trail in the config",
        facts: () => allPackFacts({ ...base, cloudtrail: { mode: "none" } }),
        expect: "SKIPPED",
      },
    ],
  },
  "integrity.digest-chain": {
    valid: [
      { name: "an unbroken chain" },
      {
        name: "a new chain after logging was off (reported, not failed, as validate-logs does)",
        mutate: (f) =>
          (integrity(f).chain.breaks = ["no digest between 2026-05-31T20:00:00Z and 2026-06-01T02:00:00Z"]),
      },
    ],
    invalid: [
      {
        name: "the newest digests deleted (a truncated tail)",
        mutate: (f) =>
          (integrity(f).tail =
            "the newest digest is from 2026-06-01T03:00:00Z, but CloudTrail delivers a digest every hour"),
        expect: "FAIL",
      },
      { name: "every digest deleted while validation is on", mutate: emptied, expect: "FAIL" },
      {
        name: "a missing link",
        mutate: (f) => (integrity(f).chain.gaps = ["d5 is missing (referenced by d6)"]),
        expect: "FAIL",
      },
      { name: "no digest delivered yet", mutate: notYet, expect: "SKIPPED" },
      {
        name: "the pack could not collect",
        mutate: (f) => (f.integrity = failed("could not assume the role")),
        expect: "ERROR",
      },
    ],
  },
  "integrity.log-files": {
    valid: [{ name: "every listed file matches" }],
    invalid: [
      {
        name: "a deleted log file",
        mutate: (f) => (integrity(f).logFiles.missing = ["AWSLogs/x.json.gz"]),
        expect: "FAIL",
      },
      {
        name: "a modified log file",
        mutate: (f) => (integrity(f).logFiles.modified = ["AWSLogs/x.json.gz"]),
        expect: "FAIL",
      },
      {
        name: "a file no digest lists",
        mutate: (f) => (integrity(f).logFiles.extra = ["AWSLogs/planted.json.gz"]),
        expect: "FAIL",
      },
      {
        name: "a gzip bomb where a log file should be",
        mutate: (f) => (integrity(f).logFiles.unreadable = ["AWSLogs/x.json.gz (larger than 1024 MiB uncompressed)"]),
        expect: "FAIL",
      },
      {
        name: "a digest entry naming another bucket",
        mutate: (f) => (integrity(f).logFiles.outside = ["s3://elsewhere/x.json.gz"]),
        expect: "FAIL",
      },
      { name: "every digest deleted while validation is on", mutate: emptied, expect: "FAIL" },
      { name: "the digests cannot be read", mutate: (f) => (f.integrity = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
};
