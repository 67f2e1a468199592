#!/usr/bin/env bash
# The GitHub Action's work (action.yml runs this; tests run it as a plain script):
# install cloudsmith-log-export, run one command, write SARIF and JUnit, set the outputs.
# Inputs arrive as INPUT_* environment variables; outputs go to $GITHUB_OUTPUT.
set -euo pipefail

command=${INPUT_COMMAND:-verify}
config=${INPUT_CONFIG:-cloudsmith-log-export.json}
plan=${INPUT_PLAN:-}
out_dir=${INPUT_OUT:-cdktf.out}
sarif=${INPUT_SARIF_FILE:-cloudsmith-log-export.sarif}
junit=${INPUT_JUNIT_FILE:-cloudsmith-log-export.junit.xml}
fail=${INPUT_FAIL_ON_FINDINGS:-true}
tmp=${RUNNER_TEMP:-$(mktemp -d)}
outputs=${GITHUB_OUTPUT:-/dev/null}

die() { echo "::error::cloudsmith-log-export action: $*" >&2; exit 2; }

# The package: an explicit one (a tarball path or URL, or an npm spec); else the release asset of
# an explicit `version`, or of the action's own ref when that ref is a version tag (v1.2.3); else
# (pinned to a commit SHA, as GitHub's hardening guide advises, or to a branch: no release has
# that name) packed from the action's own checkout.
package=${INPUT_PACKAGE:-}
version=${INPUT_VERSION:-}
if [[ -z "$package" && -n "$version" ]]; then
  [[ "$version" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]] || die "version: a release version such as 1.2.3, not '$version'"
  [[ -n "${ACTION_REPOSITORY:-}" ]] || die "version: the action's repository is not known (github.action_repository)"
  package="https://github.com/${ACTION_REPOSITORY}/releases/download/v${version#v}/cloudsmith-log-export.tgz"
fi
if [[ -z "$package" && -n "${ACTION_REPOSITORY:-}" && "${ACTION_REF:-}" =~ ^v[0-9]+(\.[0-9]+)*([-+][0-9A-Za-z.-]+)?$ ]]; then
  package="https://github.com/${ACTION_REPOSITORY}/releases/download/${ACTION_REF}/cloudsmith-log-export.tgz"
fi
if [[ -z "$package" ]]; then
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  echo "cloudsmith-log-export action: installing from the action's checkout (${ACTION_REF:-local})" >&2
  if [[ -f "$here/dist/bundle/main.js" ]]; then
    # Already built there: pack it as it is.
    (cd "$here" && npm pack --ignore-scripts --pack-destination "$tmp" >&2)
  else
    (cd "$here" && npm ci --no-audit --no-fund >&2 && npm pack --pack-destination "$tmp" >&2)
  fi
  package=$(ls "$tmp"/cloudsmith-log-export-*.tgz | head -n 1)
fi
prefix="$tmp/cloudsmith-log-export"
npm install --prefix "$prefix" --omit=optional --no-save --no-audit --no-fund --no-package-lock "$package" >&2
cle="$prefix/node_modules/.bin/cloudsmith-log-export"
"$cle" --version >/dev/null || die "the installed package does not run"

# More flags: a JSON array, or one argument per line (a YAML `|` block), so an argument may hold
# spaces (`--suppress` with its reason). A single line without either is split on whitespace, as
# before, with a notice.
extra=()
args=${INPUT_ARGS:-}
if [[ "$args" =~ ^[[:space:]]*\[ ]]; then
  parsed=$(node -e '
    let a; try { a = JSON.parse(process.argv[1]); } catch (e) { console.error("args: not a JSON array: " + e.message); process.exit(2); }
    if (!Array.isArray(a) || a.some((x) => typeof x !== "string")) { console.error("args: a JSON array of strings"); process.exit(2); }
    process.stdout.write(a.map((x) => x.replace(/\n/g, " ")).join("\n"));
  ' "$args") || die "args: a JSON array of strings, e.g. [\"--suppress\", \"rule=reason\"]"
  if [[ -n "$parsed" ]]; then mapfile -t extra <<<"$parsed"; fi
elif [[ "$args" == *$'\n'* ]]; then
  while IFS= read -r line; do
    line="${line#"${line%%[![:space:]]*}"}"
    line="${line%"${line##*[![:space:]]}"}"
    if [[ -n "$line" ]]; then extra+=("$line"); fi
  done <<<"$args"
elif [[ -n "${args//[[:space:]]/}" ]]; then
  read -r -a extra <<<"$args"
  if [[ ${#extra[@]} -gt 1 ]]; then
    echo "::notice::cloudsmith-log-export action: args on one line are split on spaces; for an argument with spaces, give one argument per line or a JSON array" >&2
  fi
fi
[[ -f "$config" ]] || die "config: no file at $config"
# Reports of an earlier run in the same workspace must not pass for this run's.
rm -f -- "$sarif" "$junit"
status=0
case "$command" in
  synth)
    "$cle" synth --config "$config" --out "$out_dir" "${extra[@]}" || status=$?
    ;;
  verify-plan)
    [[ -n "$plan" ]] || die "plan: verify-plan needs the plan as JSON (terraform show -json tfplan > plan.json)"
    [[ -f "$plan" ]] || die "plan: no file at $plan"
    "$cle" verify --config "$config" --static "$plan" --report "sarif=$sarif" --report "junit=$junit" \
      "${extra[@]}" || status=$?
    ;;
  verify)
    "$cle" verify --config "$config" --report "sarif=$sarif" --report "junit=$junit" "${extra[@]}" || status=$?
    ;;
  *)
    die "command: synth, verify-plan or verify, not '$command'"
    ;;
esac

# Only files that were written are outputs (after a usage error, none is): the upload step never
# uploads a file that does not exist.
{
  echo "exit-code=$status"
  if [[ "$command" != synth ]]; then
    if [[ -f "$sarif" ]]; then echo "sarif-file=$sarif"; fi
    if [[ -f "$junit" ]]; then echo "junit-file=$junit"; fi
  elif [[ -d "$out_dir/stacks/cloudsmith-log-export" ]]; then
    echo "stack-dir=$out_dir/stacks/cloudsmith-log-export"
  fi
} >>"$outputs"

# Usage and config errors always fail the step; findings only when asked to.
if [[ $status -ge 2 || ( $status -ne 0 && "$fail" == "true" ) ]]; then exit "$status"; fi
exit 0
