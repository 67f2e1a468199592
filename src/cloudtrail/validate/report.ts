/** What validating CloudTrail digests and log files over a window found, as the integrity rules and `investigate` read it. */
export interface IntegrityReport {
  since: string;
  until: string;
  /** Where the digests were read: `s3://bucket/[prefix/]AWSLogs/[org/]account/CloudTrail-Digest/region/`. */
  location: string;
  /** Hourly digests found in the window, by the time in their key. */
  digests: number;
  /** Backfill digests found in the window: their own chain. */
  backfillDigests: number;
  /** Digests whose signature, format, key or location fails (each message names the file). */
  signatures: { valid: number; invalid: string[] };
  /**
   * Digests not read within the tool's bounds (larger than any CloudTrail writes): the chain,
   * their signatures and the log files they list are undecided, so every rule is ERROR.
   */
  unreadableDigests: string[];
  chain: {
    /** Failures: a digest the chain names is missing, or does not hash to the recorded value. */
    gaps: string[];
    /** Not failures: CloudTrail started a new chain (logging or validation was off for a while). */
    breaks: string[];
  };
  /**
   * Failure: the newest digests are missing (a truncated tail), or there is none at all while
   * log file validation is on. Undefined when the tail is where it should be.
   */
  tail?: string;
  /** The time in the newest digest's key. */
  newestDigest?: string;
  /** Log file validation is off on the trail: no digests are expected. */
  validationOff?: boolean;
  logFiles: {
    checked: number;
    valid: number;
    missing: string[];
    modified: string[];
    /** Not gzip: not a log file CloudTrail wrote. */
    unreadable: string[];
    /** Larger than the limit inflated: not read to the end, so not decided (ERROR). */
    tooLarge: string[];
    /** Listed in a digest but in another bucket than the trail's: not read. */
    outside: string[];
    /** In the digests' time span but listed by none. */
    extra: string[];
    /** The log files that matched their digests, when asked for (ValidateOptions.keepVerifiedKeys). */
    verifiedKeys?: string[];
  };
}
