#!/usr/bin/env bash
# Tries this repository's pre-commit hooks (.pre-commit-hooks.yaml) for real, with
# `pre-commit try-repo`, on a sample inventory repository: a good inventory passes, a broken
# one fails `cloudready-validate`, and one below the bar in cloudready.toml fails
# `cloudready-check`.
#
#   tests/precommit/try.sh [PATH/TO/cloudready]      (default: target/release/cloudready)
#
# The published hooks are `language: rust`: pre-commit builds cloudready with `cargo install`
# the first time, which ignores Cargo.lock and compiles every dependency in release mode
# (minutes). By default this script tries the same hook definitions (ids, entry, args,
# pass_filenames, files) with `language: system` and the binary already built on PATH, so CI
# stays fast. CLOUDREADY_PRECOMMIT_RUST=1 tries the published `language: rust` hooks as a user
# gets them, build included.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$(realpath "${1:-$root/target/release/cloudready}")"
[ -x "$bin" ] || { echo "no cloudready binary at $bin (build it first)" >&2; exit 2; }
command -v pre-commit >/dev/null || { echo "pre-commit is not installed (pip install pre-commit)" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export PRE_COMMIT_HOME="$work/cache"
git_() { git -c user.name=cloudready-ci -c user.email=ci@example.invalid -c commit.gpgsign=false "$@"; }

rust=0
if [ "${CLOUDREADY_PRECOMMIT_RUST:-}" = 1 ]; then
  rust=1
  # try-repo installs into a throwaway store on every call, which for language: rust is a
  # cargo build each time. This mode uses the hooks as a user does instead: a
  # .pre-commit-config.yaml naming a clone of the committed HEAD, and `pre-commit run`, which
  # builds the environment once into PRE_COMMIT_HOME.
  hooks="$work/hooks"
  git clone -q "$root" "$hooks"
  echo "trying the published language: rust hooks at $(git -C "$hooks" rev-parse --short HEAD) (pre-commit builds cloudready once: minutes)"
else
  hooks="$work/hooks"
  mkdir -p "$hooks"
  sed 's/^  language: rust$/  language: system/' "$root/.pre-commit-hooks.yaml" >"$hooks/.pre-commit-hooks.yaml"
  n="$(grep -c '^  language: system$' "$hooks/.pre-commit-hooks.yaml")"
  [ "$n" = 2 ] || { echo "expected 2 hooks with language: rust, found $n" >&2; exit 1; }
  git_ -C "$hooks" init -q
  git_ -C "$hooks" add .pre-commit-hooks.yaml
  git_ -C "$hooks" commit -qm hooks
  export PATH="$(dirname "$bin"):$PATH"
fi

sample="$work/sample"
mkdir -p "$sample"
cd "$sample"
git_ init -q
"$bin" --quiet init .
if [ "$rust" = 1 ]; then
  cat >.pre-commit-config.yaml <<YAML
repos:
  - repo: $hooks
    rev: $(git -C "$hooks" rev-parse HEAD)
    hooks:
      - id: cloudready-validate
      - id: cloudready-check
YAML
fi
git_ add -A
git_ commit -qm "starter inventory"

# Exits non-zero when a hook fails; capture both the code and the log.
try() {
  set +e
  if [ "$rust" = 1 ]; then
    pre-commit run "$@" >"$work/log" 2>&1
  else
    pre-commit try-repo "$hooks" "$@" >"$work/log" 2>&1
  fi
  code=$?
  set -e
  cat "$work/log"
}
expect() { # expect PASS|FAIL WHAT TEXT-IN-LOG
  if [ "$1" = PASS ] && [ "$code" != 0 ]; then echo "FAIL: $2 should pass" >&2; exit 1; fi
  if [ "$1" = FAIL ] && [ "$code" = 0 ]; then echo "FAIL: $2 should fail" >&2; exit 1; fi
  if ! grep -qF -- "$3" "$work/log"; then echo "FAIL: $2: no \"$3\" in the log" >&2; exit 1; fi
  echo "ok: $2"
}

echo "== a good inventory (cloudready init's starter)"
try --all-files
expect PASS "good inventory, both hooks" "cloudready check"

echo "== a broken inventory: a misspelt classification"
sed -i 's/^    classification: OFFICIAL$/    classification: OFFICAL/' inventory.yaml
grep -q 'classification: OFFICAL$' inventory.yaml
git_ add inventory.yaml
try cloudready-validate
expect FAIL "broken inventory, cloudready-validate" "OFFICAL"
try cloudready-check
expect FAIL "broken inventory, cloudready-check" "OFFICAL"
git_ checkout -q -- . && git_ reset -q --hard

echo "== a valid inventory below the bar in cloudready.toml"
sed -i 's/^min_workload = 15 /min_workload = 90 /' cloudready.toml
grep -q '^min_workload = 90 ' cloudready.toml
git_ add cloudready.toml
try cloudready-check
expect FAIL "below the bar, cloudready-check" "min_workload"
# A settings file alone staged still fires the format hook (it names no inventory, but a
# changed bar is a reason to look again).
try cloudready-validate
expect PASS "cloudready.toml staged, cloudready-validate runs" "Passed"
git_ reset -q --hard

echo "== a spreadsheet staged fires both hooks"
"$bin" --quiet assess inventory.yaml --format xlsx -o portfolio.xlsx
git_ add portfolio.xlsx
try
expect PASS "portfolio.xlsx staged, both hooks run" "Passed"
if grep -q "no files to check" "$work/log"; then echo "FAIL: a hook skipped portfolio.xlsx" >&2; exit 1; fi
git_ rm -q --cached portfolio.xlsx && rm -f portfolio.xlsx

echo "== a change that keeps the bar"
sed -i 's/^    users: 5200$/    users: 5300/' inventory.yaml
git_ add inventory.yaml
try
expect PASS "good change, both hooks" "Passed"
echo "pre-commit hooks: ok"
