/** Rule tables for retention (config `retention`): lifecycle rules that remove evidence early. */
import type { LifecycleRuleView, ObjectLockView } from "../../../../src/checks/deployment/facts.js";
import type { Facts } from "../../../../src/checks/index.js";
import { absent, type Fact, failed, present, unknown } from "../../../../src/engine/fact.js";
import { base } from "../../../helpers/configs.js";
import { allPackFacts } from "../../../helpers/facts.js";
import type { AreaTables } from "../../../helpers/rule-table.js";

const rule = (over: Partial<LifecycleRuleView>): LifecycleRuleView => ({
  id: "logs",
  enabled: true,
  prefix: "client-logs/",
  narrowedBy: [],
  transitions: [],
  ...over,
});

/** The PCI profile (365 days, 90 immediately available), the bucket's lifecycle as given. */
const pci = (rules: LifecycleRuleView[] | "none") => (): Facts => {
  const f = allPackFacts({ ...base, retention: { profile: "pci-dss" } });
  f.exportBucket.lifecycle = rules === "none" ? absent("NoSuchLifecycleConfiguration") : present(rules);
  return f;
};

/** PCI retention with the trail's files locked in `mode`; the trail bucket's Object Lock as given. */
const locked =
  (lock: Fact<ObjectLockView> | undefined, mode: "governance" | "compliance" = "compliance") =>
  (): Facts => {
    const f = allPackFacts({ ...base, retention: { profile: "pci-dss", objectLock: { mode } } });
    if (lock) f.trailBucket.objectLock = lock;
    else delete f.trailBucket.objectLock;
    return f;
  };
const lock = (v: Partial<ObjectLockView>) => present<ObjectLockView>({ enabled: true, ...v });

export const TABLES: AreaTables = {
  "retention.object-lock": {
    valid: [
      { name: "compliance mode, 365 days", facts: locked(lock({ mode: "COMPLIANCE", days: 365 })) },
      { name: "compliance mode, 1 year", facts: locked(lock({ mode: "COMPLIANCE", years: 1 })) },
      {
        name: "governance asked, compliance in place (stricter)",
        facts: locked(lock({ mode: "COMPLIANCE", days: 400 }), "governance"),
      },
    ],
    invalid: [
      {
        name: "a bucket created without Object Lock",
        expect: "FAIL",
        facts: locked(absent("ObjectLockConfigurationNotFoundError")),
      },
      {
        name: "governance where compliance is asked",
        expect: "FAIL",
        facts: locked(lock({ mode: "GOVERNANCE", days: 365 })),
      },
      {
        name: "locked 30 days under a 365-day retention",
        expect: "FAIL",
        facts: locked(lock({ mode: "COMPLIANCE", days: 30 })),
      },
      { name: "enabled without a default retention", expect: "FAIL", facts: locked(lock({})) },
      { name: "the configuration could not be read", expect: "ERROR", facts: locked(failed("AccessDenied")) },
      {
        name: "a plan where it is known only after apply",
        expect: "ERROR",
        facts: locked(unknown("the Object Lock settings")),
      },
      { name: "no objectLock in the config", expect: "SKIPPED", facts: pci("none") },
    ],
  },
  "retention.lifecycle": {
    valid: [
      { name: "no lifecycle rule at all", facts: pci("none") },
      {
        name: "expiry after 400 days, old versions after 365, Glacier after 120",
        facts: pci([
          rule({
            expirationDays: 400,
            noncurrentDays: 365,
            transitions: [{ days: 120, storageClass: "GLACIER" }],
          }),
        ]),
      },
      {
        name: "a 7-day rule on another prefix (Athena results, temp files)",
        facts: pci([rule({ prefix: "tmp/", expirationDays: 7 })]),
      },
      {
        name: "Glacier Instant Retrieval at 30 days is still immediate",
        facts: pci([rule({ transitions: [{ days: 30, storageClass: "GLACIER_IR" }] })]),
      },
      { name: "a disabled rule expiring after 30 days", facts: pci([rule({ enabled: false, expirationDays: 30 })]) },
    ],
    invalid: [
      {
        name: "expires exports after 30 days under PCI DSS",
        facts: pci([rule({ expirationDays: 30 })]),
        expect: "FAIL",
      },
      {
        name: "a whole-bucket rule deleting old versions after 90 days",
        facts: pci([rule({ prefix: "", noncurrentDays: 90 })]),
        expect: "FAIL",
      },
      {
        name: "archives the trail's files to Deep Archive after 30 days",
        facts: pci([rule({ prefix: "cloudtrail/", transitions: [{ days: 30, storageClass: "DEEP_ARCHIVE" }] })]),
        expect: "FAIL",
      },
      {
        name: "a rule on a sub-prefix of the exports (client-logs/2026/) expiring after 60 days",
        facts: pci([rule({ prefix: "client-logs/2026/", expirationDays: 60 })]),
        expect: "FAIL",
      },
      {
        name: "overwritten versions archived to Glacier after 10 days",
        facts: pci([rule({ noncurrentTransitions: [{ days: 10, storageClass: "GLACIER" }] })]),
        expect: "FAIL",
      },
      {
        name: "a date expiry",
        facts: pci([rule({ expirationDate: "2027-01-01T00:00:00.000Z" })]),
        expect: "FAIL",
      },
      {
        name: "expiring after 30 days only objects tagged temp: cannot be told",
        facts: pci([rule({ expirationDays: 30, narrowedBy: ["tags"] })]),
        expect: "ERROR",
      },
      {
        name: "the lifecycle cannot be read",
        facts: () => {
          const f = pci("none")();
          f.exportBucket.lifecycle = failed("AccessDenied (S3.GetBucketLifecycleConfiguration)");
          return f;
        },
        expect: "ERROR",
      },
      { name: "no retention in the config", expect: "SKIPPED" },
    ],
  },
};
