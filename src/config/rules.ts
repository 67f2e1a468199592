/**
 * AWS input rules as pure functions: names, IDs, ARNs and regions as AWS accepts them.
 *
 * Each check returns the problems it found; an empty list means valid. The same
 * functions back the config schema, the wizard's inline validation and the
 * verifier, so a rule is written once.
 */

/** How bad an input problem is: an error refuses the input, a warning is printed. */
export type ProblemLevel = "error" | "warning";

export interface Problem {
  severity: ProblemLevel;
  /** One sentence naming the rule that was broken. */
  rule: string;
}

const err = (rule: string): Problem => ({ severity: "error", rule });
const warn = (rule: string): Problem => ({ severity: "warning", rule });

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export const ACCOUNT_ID_PATTERN = /^\d{12}$/;
export const ROLE_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
export const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]{2,1224}$/;
export const REPOSITORY_SLUG_PATTERN = /^[-a-zA-Z0-9_.]+$/;

/**
 * An account ID as people copy it: the console shows `1234-5678-9012`, others write spaces. Digits
 * separated by single dashes or spaces become the 12 digits; anything else is returned as given
 * (checkAccountId then says what is wrong).
 */
export function normaliseAccountId(value: string): string {
  const v = value.trim();
  return /^\d+(?:[- ]\d+)*$/.test(v) && v.replace(/[- ]/g, "").length === 12 ? v.replace(/[- ]/g, "") : v;
}

export function checkAccountId(value: string): Problem[] {
  return ACCOUNT_ID_PATTERN.test(value) ? [] : [err("an AWS account ID is exactly 12 digits (keep any leading zeros)")];
}

export function checkRoleName(value: string): Problem[] {
  if (value.length < 1 || value.length > 64) {
    return [err("an IAM role name is 1-64 characters long")];
  }
  if (!ROLE_NAME_PATTERN.test(value)) {
    return [err("an IAM role name uses only letters, digits and + = , . @ _ -")];
  }
  return [];
}

export function checkExternalId(value: string): Problem[] {
  if (value.length < 2 || value.length > 1224) {
    return [err("an External ID is 2-1224 characters long")];
  }
  if (!EXTERNAL_ID_PATTERN.test(value)) {
    return [err("an External ID uses only letters, digits and + = , . @ : / _ -")];
  }
  return [];
}

const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

function isIpAddress(value: string): boolean {
  const m = IPV4.exec(value);
  return m?.slice(1).every((octet) => Number(octet) <= 255) ?? false;
}

/**
 * S3 general purpose bucket naming rules. An existing bucket may predate the
 * 2018 rules (uppercase, underscores): those are warnings, never blockers.
 */
export function checkBucketName(value: string, opts: { existing?: boolean } = {}): Problem[] {
  const hard: Problem[] = [];
  const legacy: string[] = [];
  // `legacyOk`: what a pre-2018 bucket may still have; only an existing bucket gets that leeway.
  const rule = (ok: boolean, message: string, legacyOk = false): void => {
    if (ok) return;
    if (opts.existing && legacyOk) legacy.push(message);
    else hard.push(err(message));
  };
  const len = value.length;
  rule(len >= 3 && len <= 63, "a bucket name is 3-63 characters long", len >= 3 && len <= 255);
  rule(
    /^[a-z0-9.-]*$/.test(value),
    "a bucket name uses only lowercase letters, digits, '.' and '-'",
    /^[a-zA-Z0-9._-]*$/.test(value),
  );
  rule(/^[a-zA-Z0-9](.*[a-zA-Z0-9])?$/.test(value), "a bucket name starts and ends with a letter or digit");
  rule(!value.includes(".."), "a bucket name has no two adjacent dots");
  rule(!isIpAddress(value), "a bucket name is not formatted as an IP address");
  for (const p of RESERVED_BUCKET_PREFIXES)
    rule(!value.startsWith(p), `a bucket name does not start with the reserved prefix '${p}'`);
  for (const s of RESERVED_BUCKET_SUFFIXES)
    rule(!value.endsWith(s), `a bucket name does not end with the reserved suffix '${s}'`);

  const problems = [...hard];
  if (legacy.length > 0) {
    problems.push(
      warn(
        `this existing bucket name breaks today's S3 naming rules (${legacy.join("; ")}); S3 allowed it before March 2018`,
      ),
    );
  }
  if (hard.length === 0 && value.includes(".")) {
    problems.push(warn("dots in a bucket name break TLS on virtual-hosted-style URLs; prefer '-'"));
  }
  return problems;
}

/**
 * An S3 key prefix for one log type. The caller normalises a trailing '/'
 * (see normalisePrefix); an empty prefix means the bucket root.
 */
export function checkPrefix(value: string, opts: { maxLength?: number } = {}): Problem[] {
  const max = opts.maxLength ?? 512;
  const problems: Problem[] = [];
  if (value.startsWith("/")) problems.push(err("a prefix does not start with '/'"));
  if (/[*?]/.test(value)) problems.push(err("a prefix has no '*' or '?' (they are IAM wildcards)"));
  if (value.includes("//")) problems.push(err("a prefix has no empty path segment ('//')"));
  if (/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd\\{}^%`\]"'<>[~#|]/.test(value)) {
    problems.push(
      err(
        "a prefix avoids control and bidirectional-override characters, U+FFFD (a byte that was not UTF-8) and \\ { } ^ % ` [ ] \" ' < > ~ # |",
      ),
    );
  }
  if (Buffer.byteLength(value, "utf8") > max) problems.push(err(`a prefix is at most ${max} bytes`));
  return problems;
}

/** Strips one trailing '/' so prefixes compare and render the same way everywhere. */
export function normalisePrefix(value: string): string {
  return value.endsWith("/") ? value.slice(0, -1) : value;
}

export function checkTrailName(value: string): Problem[] {
  const problems: Problem[] = [];
  if (value.length < 3 || value.length > 128) problems.push(err("a trail name is 3-128 characters long"));
  if (!/^[A-Za-z0-9._-]*$/.test(value)) {
    problems.push(err("a trail name uses only letters, digits, '.', '_' and '-'"));
  } else if (value.length > 0 && !/^[A-Za-z0-9](.*[A-Za-z0-9])?$/.test(value)) {
    problems.push(err("a trail name starts and ends with a letter or digit"));
  }
  if (/[._-]{2}/.test(value)) problems.push(err("a trail name has no adjacent '.', '_' or '-'"));
  if (isIpAddress(value)) problems.push(err("a trail name is not formatted as an IP address"));
  return problems;
}

export type Partition = "aws" | "aws-cn" | "aws-us-gov";

const REGION_PATTERNS: Array<[Partition, RegExp]> = [
  ["aws-us-gov", /^us-gov-(east|west)-\d$/],
  ["aws-cn", /^cn-(north|northwest)-\d$/],
  ["aws", /^(us|eu|ap|sa|ca|me|af|il|mx)-(central|north|south|east|west|northeast|northwest|southeast|southwest)-\d$/],
];

export function partitionOf(region: string): Partition | undefined {
  return REGION_PATTERNS.find(([, re]) => re.test(region))?.[0];
}

export function checkRegion(value: string): Problem[] {
  return partitionOf(value)
    ? []
    : [err("a region is a commercial (e.g. us-east-1), China (cn-north-1) or GovCloud (us-gov-west-1) region code")];
}

/**
 * Cloudsmith's account (884446598447) exists only in the commercial partition: a role in a China
 * or GovCloud region can never be assumed from it, so such a config could never work.
 */
export function checkCloudsmithPartition(region: string): Problem[] {
  const partition = partitionOf(region);
  return partition && partition !== "aws"
    ? [
        err(
          `Cloudsmith's account 884446598447 exists only in the commercial AWS partition ('aws'), so it can never assume a role in ${region} ('${partition}'): choose a commercial region such as us-east-1`,
        ),
      ]
    : [];
}

/** Where a KMS key ARN says the key lives. */
export function kmsKeyLocation(arn: string): { region: string; account: string } | undefined {
  const m = /^arn:[a-z-]+:kms:([a-z0-9-]+):(\d{12}):key\//.exec(arn);
  return m ? { region: m[1]!, account: m[2]! } : undefined;
}

/** S3 (and CloudTrail) use only a key in the bucket's region. */
export function checkKmsKeyRegion(arn: string, bucketRegion: string): Problem[] {
  const at = kmsKeyLocation(arn);
  return at && at.region !== bucketRegion
    ? [
        err(
          `the key is in ${at.region}, but the bucket is in ${bucketRegion}: S3 only uses keys in the bucket's region`,
        ),
      ]
    : [];
}

/** A KMS key ARN in the given partition (an alias ARN is not accepted: IAM needs the key ARN). */
export function checkKmsKeyArn(value: string, partition: Partition | undefined): Problem[] {
  const m = /^arn:(aws|aws-cn|aws-us-gov):kms:([a-z0-9-]+):(\d{12}):key\/[A-Za-z0-9-]+$/.exec(value);
  if (!m) return [err("a KMS key is given as its key ARN: arn:<partition>:kms:<region>:<account>:key/<key-id>")];
  if (partition && m[1] !== partition)
    return [err(`the KMS key ARN uses partition '${m[1]}' but the region is in '${partition}'`)];
  return [];
}

export const ORG_SLUG_PATTERN = /^[-a-zA-Z0-9_]+$/;

export function checkOrgSlug(value: string): Problem[] {
  return ORG_SLUG_PATTERN.test(value)
    ? []
    : [err("a Cloudsmith organization slug uses only letters, digits, '-' and '_' (as in its URL, e.g. acme-corp)")];
}

export function checkRepositorySlug(value: string): Problem[] {
  return REPOSITORY_SLUG_PATTERN.test(value)
    ? []
    : [err("a Cloudsmith repository slug uses only letters, digits, '-', '_' and '.'")];
}

export function checkTagKey(value: string): Problem[] {
  if (value.length < 1 || value.length > 128) return [err("a tag key is 1-128 characters long")];
  if (value.toLowerCase().startsWith("aws:")) return [err("a tag key does not start with the reserved 'aws:'")];
  if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(value))
    return [err("a tag key uses letters, digits, spaces and _ . : / = + - @")];
  return [];
}

export function checkTagValue(value: string): Problem[] {
  if (value.length > 256) return [err("a tag value is at most 256 characters long")];
  if (!/^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u.test(value))
    return [err("a tag value uses letters, digits, spaces and _ . : / = + - @")];
  return [];
}

export const errorsOf = (problems: Problem[]): Problem[] => problems.filter((p) => p.severity === "error");

/** An S3 object key for Terraform state: 1-1024 bytes of printable text, no leading '/'. */
export function checkStateKey(value: string): Problem[] {
  const problems: Problem[] = [];
  const bytes = Buffer.byteLength(value, "utf8");
  if (bytes < 1 || bytes > 1024) problems.push(err("a state key is 1-1024 bytes long"));
  if (value.startsWith("/")) problems.push(err("a state key does not start with '/'"));
  if (/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd]/.test(value))
    problems.push(err("a state key has no control or bidirectional-override characters"));
  return problems;
}

/** A DynamoDB table name: 3-255 of letters, digits, '_', '-' and '.'. */
export function checkDynamoDbTable(value: string): Problem[] {
  return /^[A-Za-z0-9_.-]{3,255}$/.test(value)
    ? []
    : [err("a DynamoDB table name is 3-255 of letters, digits, '_', '-' and '.'")];
}

/**
 * Glue database and table names as Athena reads them: lower-case letters, digits and `_`, at
 * most 255 (Athena: "Names for tables, databases, and columns"); upper case would be folded.
 */
export function checkGlueName(value: string): Problem[] {
  return /^[a-z0-9_]{1,255}$/.test(value)
    ? []
    : [err("a Glue database name is 1-255 lower-case letters, digits and '_' (Athena folds upper case)")];
}

/** An Athena workgroup name: 1-128 of letters, digits, '.', '_' and '-' (CreateWorkGroup). */
export function checkWorkgroupName(value: string): Problem[] {
  return /^[a-zA-Z0-9._-]{1,128}$/.test(value)
    ? []
    : [err("a workgroup name is 1-128 letters, digits, '.', '_' and '-'")];
}

/** `projection.<col>.range`'s start for a date projected as yyyy/MM/dd. */
export function checkProjectionStart(value: string): Problem[] {
  const m = /^(\d{4})\/(\d{2})\/(\d{2})$/.exec(value);
  const ok = m !== null && !Number.isNaN(Date.parse(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`));
  return ok ? [] : [err("a projection start is a date written YYYY/MM/DD, as the trail's folders are")];
}
