/**
 * The environment a CLI run under test gets when it talks to a fake AWS on loopback: credentials
 * that are obviously fake, no shared config or instance metadata, and none of the test runner's
 * own proxy settings (a CI runner's HTTPS_PROXY would otherwise carry loopback requests away).
 */
export const FAKE_AWS_ENV: Record<string, string | undefined> = {
  AWS_ACCESS_KEY_ID: "AKIAEXAMPLEEXAMPLE",
  AWS_SECRET_ACCESS_KEY: "secret-secret-secret",
  AWS_REGION: "us-east-1",
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_CONFIG_FILE: "/nonexistent",
  AWS_SHARED_CREDENTIALS_FILE: "/nonexistent",
  HTTPS_PROXY: undefined,
  https_proxy: undefined,
  HTTP_PROXY: undefined,
  http_proxy: undefined,
  NO_PROXY: undefined,
  no_proxy: undefined,
  ALL_PROXY: undefined,
  all_proxy: undefined,
};
