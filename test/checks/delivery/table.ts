/** Rule tables for `verify --delivery`: facts each rule must pass, and facts it must not. */
import { failed, present } from "../../../src/engine/fact.js";
import { base } from "../../helpers/configs.js";
import { allPackFacts, cloudTrailDelivery, delivery, eachLog } from "../../helpers/facts.js";
import type { AreaTables } from "../../helpers/rule-table.js";

const hoursAgo = (h: number) => new Date(Date.parse("2026-06-01T12:00:00.000Z") - h * 3_600_000).toISOString();
const excludingIp = () => allPackFacts({ ...base, exclude: ["ip"] });

export const TABLES: AreaTables = {
  "delivery.freshness": {
    valid: [{ name: "both prefixes exported 20 minutes ago" }],
    invalid: [
      {
        name: "newest export 30 h old",
        mutate: (f) => eachLog(f, (l) => (l.newest!.lastModified = hoursAgo(30))),
        expect: "FAIL",
      },
      {
        name: "nothing yet, 3 days after the role was created",
        mutate: (f) => {
          eachLog(f, (l) => delete l.newest);
          delivery(f).roleCreated = present(hoursAgo(72));
        },
        expect: "FAIL",
      },
      {
        name: "nothing yet, an hour after the role was created",
        mutate: (f) => {
          eachLog(f, (l) => delete l.newest);
          delivery(f).roleCreated = present(hoursAgo(1));
        },
        expect: "SKIPPED",
      },
      {
        name: "a prefix cannot be listed",
        mutate: (f) => (delivery(f).logs[0]!.fact = failed("AccessDenied")),
        expect: "ERROR",
        oneOfSeveral: true,
      },
      {
        name: "the pack could not collect",
        mutate: (f) => (f.delivery = failed("could not assume the role")),
        expect: "ERROR",
      },
    ],
  },
  "delivery.cadence": {
    valid: [{ name: "an export within the hour" }],
    invalid: [
      {
        name: "newest export 3 h old",
        mutate: (f) => eachLog(f, (l) => (l.newest!.lastModified = hoursAgo(3))),
        expect: "ADVICE",
      },
      { name: "no export yet", mutate: (f) => eachLog(f, (l) => delete l.newest), expect: "SKIPPED" },
      {
        name: "a prefix cannot be listed",
        mutate: (f) => (delivery(f).logs[1]!.fact = failed("AccessDenied")),
        expect: "ERROR",
        oneOfSeveral: true,
      },
    ],
  },
  "delivery.cloudtrail": {
    valid: [{ name: "a log file 10 minutes ago" }],
    invalid: [
      {
        name: "newest log file 30 h old",
        mutate: (f) => (cloudTrailDelivery(f).newest!.lastModified = hoursAgo(30)),
        expect: "FAIL",
      },
      {
        name: "no log file in 7 days on a trail logging for weeks: worse with age, never SKIPPED",
        mutate: (f) => {
          delete cloudTrailDelivery(f).newest;
          cloudTrailDelivery(f).startedLogging = "2026-01-01T00:00:00.000Z";
        },
        expect: "FAIL",
      },
      {
        name: "no log file in 7 days, and when logging started is not known",
        mutate: (f) => delete cloudTrailDelivery(f).newest,
        expect: "FAIL",
      },
      {
        name: "no log file yet: logging started an hour ago",
        mutate: (f) => {
          delete cloudTrailDelivery(f).newest;
          cloudTrailDelivery(f).startedLogging = new Date(Date.parse(delivery(f).now) - 3_600_000).toISOString();
        },
        expect: "SKIPPED",
      },
      {
        name: "the trail bucket cannot be read",
        mutate: (f) => (delivery(f).cloudTrail = failed("AccessDenied")),
        expect: "ERROR",
      },
      {
        name: "no trail in the config",
        facts: () => allPackFacts({ ...base, cloudtrail: { mode: "none" } }),
        expect: "SKIPPED",
      },
    ],
  },
  "delivery.cloudtrail-coverage": {
    valid: [{ name: "CodeArtifact events and export writes seen" }],
    invalid: [
      {
        name: "no CodeArtifact events",
        mutate: (f) => (cloudTrailDelivery(f).codeArtifact = { readOnly: 0, write: 0 }),
        expect: "ADVICE",
      },
      {
        name: "no writes on the export prefixes",
        mutate: (f) => (cloudTrailDelivery(f).exportWrites = 0),
        expect: "ADVICE",
      },
      { name: "no log file yet", mutate: (f) => delete cloudTrailDelivery(f).newest, expect: "SKIPPED" },
      {
        name: "the trail bucket cannot be read",
        mutate: (f) => (delivery(f).cloudTrail = failed("AccessDenied")),
        expect: "ERROR",
      },
    ],
  },
  "delivery.excluded-fields": {
    valid: [{ name: "ip excluded and absent", facts: excludingIp }],
    invalid: [
      {
        name: "ip excluded but present",
        facts: excludingIp,
        mutate: (f) => eachLog(f, (l) => (l.sample!.excludedSeen = ["ip"])),
        expect: "FAIL",
      },
      { name: "nothing excluded in the config", expect: "SKIPPED" },
      {
        name: "no records to check",
        facts: excludingIp,
        mutate: (f) => eachLog(f, (l) => delete l.sample),
        expect: "SKIPPED",
      },
      {
        name: "a prefix cannot be listed",
        facts: excludingIp,
        mutate: (f) => (delivery(f).logs[0]!.fact = failed("AccessDenied")),
        expect: "ERROR",
        oneOfSeveral: true,
      },
    ],
  },
  "delivery.format": {
    valid: [{ name: "records parse in the configured format" }],
    invalid: [
      {
        name: "lines that do not parse",
        mutate: (f) =>
          eachLog(f, (l) => (l.sample!.errors = [{ key: "client-logs/x.gz", line: 3, message: "not JSON" }])),
        expect: "FAIL",
      },
      { name: "objects with no records", mutate: (f) => eachLog(f, (l) => (l.sample!.records = 0)), expect: "FAIL" },
      {
        name: "records lack fields",
        mutate: (f) => eachLog(f, (l) => (l.sample!.missingFields = ["uri"])),
        expect: "FAIL",
      },
      { name: "no export yet", mutate: (f) => eachLog(f, (l) => delete l.sample), expect: "SKIPPED" },
      {
        name: "a prefix cannot be read",
        mutate: (f) => (delivery(f).logs[0]!.fact = failed("AccessDenied")),
        expect: "ERROR",
        oneOfSeveral: true,
      },
    ],
  },
};
