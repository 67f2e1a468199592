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

# The package: an explicit one (a tarball path or URL, or an npm spec), else the release asset of
# the action's own tag, else (the action used from a checkout) packed from the action's folder.
package=${INPUT_PACKAGE:-}
if [[ -z "$package" && -n "${ACTION_REPOSITORY:-}" && -n "${ACTION_REF:-}" ]]; then
  package="https://github.com/${ACTION_REPOSITORY}/releases/download/${ACTION_REF}/cloudsmith-log-export.tgz"
fi
if [[ -z "$package" ]]; then
  here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  (cd "$here" && npm ci --no-audit --no-fund >&2 && npm pack --pack-destination "$tmp" >&2)
  package=$(ls "$tmp"/cloudsmith-log-export-*.tgz | head -n 1)
fi
prefix="$tmp/cloudsmith-log-export"
npm install --prefix "$prefix" --no-save --no-audit --no-fund --no-package-lock "$package" >&2
cle="$prefix/node_modules/.bin/cloudsmith-log-export"
"$cle" --version >/dev/null || die "the installed package does not run"

read -r -a extra <<<"${INPUT_ARGS:-}"
[[ -f "$config" ]] || die "config: no file at $config"
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

{
  echo "exit-code=$status"
  if [[ "$command" != synth ]]; then
    echo "sarif-file=$sarif"
    echo "junit-file=$junit"
  else
    echo "stack-dir=$out_dir/stacks/cloudsmith-log-export"
  fi
} >>"$outputs"

# Usage and config errors always fail the step; findings only when asked to.
if [[ $status -ge 2 || ( $status -ne 0 && "$fail" == "true" ) ]]; then exit "$status"; fi
exit 0
