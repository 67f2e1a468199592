/** Rule tables for `verify --integrity`: validation reports each rule must pass, and reports it must not. */
import { failed } from "../../../src/engine/fact.js";
import { base } from "../../helpers/configs.js";
import { allPackFacts, integrity } from "../../helpers/facts.js";
import type { AreaTables } from "../../helpers/rule-table.js";

const noDigests = (f: Parameters<typeof integrity>[0]) => (integrity(f).digests = 0);

export const TABLES: AreaTables = {
  "integrity.digest-signatures": {
    valid: [{ name: "24 valid signatures" }],
    invalid: [
      {
        name: "a forged digest",
        mutate: (f) => (integrity(f).signatures.invalid = ["d1: signature does not match"]),
        expect: "FAIL",
      },
      { name: "no digests in the window", mutate: noDigests, expect: "SKIPPED" },
      { name: "the digests cannot be read", mutate: (f) => (f.integrity = failed("AccessDenied")), expect: "ERROR" },
      {
        name: "no trail in the config",
        facts: () => allPackFacts({ ...base, cloudtrail: { enabled: false } }),
        expect: "SKIPPED",
      },
    ],
  },
  "integrity.digest-chain": {
    valid: [{ name: "an unbroken chain" }],
    invalid: [
      {
        name: "a missing link",
        mutate: (f) => (integrity(f).chain.gaps = ["d5 is missing (referenced by d6)"]),
        expect: "FAIL",
      },
      { name: "no digests in the window", mutate: noDigests, expect: "SKIPPED" },
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
      { name: "no digests in the window", mutate: noDigests, expect: "SKIPPED" },
      { name: "the digests cannot be read", mutate: (f) => (f.integrity = failed("AccessDenied")), expect: "ERROR" },
    ],
  },
};
