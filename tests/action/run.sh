#!/usr/bin/env bash
# Runs the composite action (action.yml) step by step, as a runner would, on a sample
# inventory repository made by `cloudready init`: a good inventory passes; a broken one (a
# misspelt classification) and one below the bar in cloudready.toml fail the action; in all
# three cases the SARIF and JUnit reports are written and uploaded before the step fails.
#
#   tests/action/run.sh [PATH/TO/cloudready]      (default: target/release/cloudready)
#
# The install step is tried for real against a local stand-in for the release page (the
# binary given, packed as the release workflow packs it, with its SHA256SUMS): a matching
# checksum installs it, a wrong one fails the action. tests/action/runner.py runs the steps;
# it needs Python 3 with PyYAML (PYTHON=... to name one).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
bin="$(realpath "${1:-$root/target/release/cloudready}")"
[ -x "$bin" ] || { echo "no cloudready binary at $bin (build it first)" >&2; exit 2; }
python="${PYTHON:-python3}"
"$python" -c 'import yaml' 2>/dev/null || { echo "$python has no PyYAML (pip install pyyaml, or PYTHON=...)" >&2; exit 2; }

work="$(mktemp -d)"
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
version="$("$root/scripts/release-version")"
target=x86_64-unknown-linux-musl
name="cloudready-$version-$target"

# The runner unpacks `uses: OWNER/REPO@v<version>` into _actions/OWNER/REPO/v<version>.
mkdir -p "$work/_actions/agency"
ln -s "$root" "$work/_actions/agency/cloudready"
mkdir -p "$work/_actions/at-tag/cloudready"
ln -s "$root" "$work/_actions/at-tag/cloudready/v$version"
action="$work/_actions/at-tag/cloudready/v$version"

# A release page with this binary, packed as .github/workflows/release.yml packs it.
release() { # release DIR [tamper]
  mkdir -p "$1/v$version/$name"
  cp "$bin" "$1/v$version/$name/cloudready"
  tar -C "$1/v$version" -czf "$1/v$version/$name.tar.gz" "$name"
  rm -rf "${1:?}/v$version/$name"
  (cd "$1/v$version" && sha256sum "$name.tar.gz" >SHA256SUMS)
  if [ "${2:-}" = tamper ]; then sed -i "s/^[0-9a-f]*/$(printf '0%.0s' $(seq 64))/" "$1/v$version/SHA256SUMS"; fi
}
release "$work/releases"
release "$work/tampered" tamper

git_() { git -c user.name=cloudready-ci -c user.email=ci@example.invalid -c commit.gpgsign=false "$@"; }
sample="$work/sample"
mkdir -p "$sample"
git_ -C "$sample" init -q
"$bin" --quiet init "$sample" >/dev/null

export HOME="$work/home"
mkdir -p "$HOME"
state="$work/state"

# run CASE ACTION_DIR [INPUT=VALUE ...]: one run of the action; its log is $work/CASE.log.
run() {
  local case="$1" dir="$2"
  shift 2
  rm -rf "$state/uploads" "$state"/output-* "$state"/step-*
  mkdir -p "$state"
  rm -f "$sample/cloudready.sarif" "$sample/cloudready-junit.xml"
  set +e
  "$python" "$root/tests/action/runner.py" "$dir" "$sample" "$state" \
    sarif=true "release-url=file://$work/releases" "$@" >"$work/$case.log" 2>&1
  set -e
  result="$(sed -n 's/^RESULT //p' "$work/$case.log")"
  [ -n "$result" ] || { cat "$work/$case.log"; echo "FAIL: $case: the runner gave no result" >&2; exit 1; }
}
field() { "$python" -c 'import json,sys; r=json.loads(sys.argv[1]); print(eval(sys.argv[2], {}, r))' "$result" "$1"; }
fail() { cat "$work/$case.log"; echo "FAIL: $case: $*" >&2; exit 1; }
# expect CASE EXIT-CODE FAILED INSTALLED-BY: the gate's code, whether the action failed, and
# how the binary came (download, cache); the reports written and uploaded in every case.
expect() {
  case="$1"
  [ "$(field 'outputs["exit-code"]')" = "$2" ] || fail "exit-code $(field 'outputs["exit-code"]'), expected $2"
  [ "$(field failed)" = "$3" ] || fail "failed=$(field failed), expected $3"
  for f in cloudready.sarif cloudready-junit.xml; do
    [ -s "$sample/$f" ] || fail "no $f written"
    [ -s "$state/uploads/artifact-cloudready-reports/$f" ] || fail "$f not in the uploaded artifact"
  done
  [ -s "$state/uploads/code-scanning/cloudready.sarif" ] || fail "SARIF not uploaded to code scanning"
  "$python" -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["version"] == "2.1.0", d' "$sample/cloudready.sarif"
  "$python" -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$sample/cloudready-junit.xml"
  case "$4" in
    download) grep -q "installed the v$version release binary for $target" "$work/$case.log" || fail "not installed from the release" ;;
    cache) grep -q "cache hit" "$work/$case.log" || fail "no cache hit" ;;
  esac
  echo "ok: $case (exit-code $2, action failed: $3, binary from $4, SARIF and JUnit written and uploaded)"
}

echo "== a good inventory (cloudready init's starter); the release binary is downloaded"
run good "$action"
expect good 0 False download

echo "== a broken inventory: a misspelt classification (check reports it in every format)"
sed -i 's/^    classification: OFFICIAL$/    classification: OFFICAL/' "$sample/inventory.yaml"
grep -q 'classification: OFFICAL$' "$sample/inventory.yaml"
run bad "$action"
expect bad 2 True cache
grep -q 'OFFICAL' "$sample/cloudready.sarif" || fail "the SARIF report does not name the bad value"
grep -q '<failure' "$sample/cloudready-junit.xml" || fail "the JUnit report has no failure"
grep -q '^::error file=inventory.yaml,line=' "$work/bad.log" || fail "no annotation on the bad line"

echo "== a valid inventory below the bar in cloudready.toml"
sed -i 's/^    classification: OFFICAL$/    classification: OFFICIAL/' "$sample/inventory.yaml"
sed -i 's/^min_workload = 15 /min_workload = 90 /' "$sample/cloudready.toml"
grep -q '^min_workload = 90 ' "$sample/cloudready.toml"
run failing "$action"
expect failing 1 True cache
grep -q 'min_workload' "$sample/cloudready.sarif" || fail "the SARIF report has no min_workload finding"
grep -q '<failure' "$sample/cloudready-junit.xml" || fail "the JUnit report has no failure"

echo "== a config that cannot be read: check reports it in SARIF and JUnit too"
run badconfig "$action" config=missing.toml
expect badconfig 2 True cache
grep -q 'missing.toml' "$sample/cloudready.sarif" || fail "the SARIF report does not name the missing config"
grep -q '<failure' "$sample/cloudready-junit.xml" || fail "the JUnit report has no failure"

echo "== a release archive that does not match its checksum is refused"
rm -rf "$state/cache" "$HOME/.cloudready-action"
run tampered "$action" "release-url=file://$work/tampered"
case=tampered
[ "$(field failed)" = True ] || fail "the action passed with a tampered archive"
grep -q "does not match the release's SHA256SUMS" "$work/tampered.log" || fail "no checksum error"
[ ! -e "$HOME/.cloudready-action/bin/cloudready" ] || fail "the tampered binary was installed"
echo "ok: tampered (refused)"

echo "== an action used at a commit, not at its version's tag, does not take the release binary"
rm -rf "$state/cache" "$HOME/.cloudready-action"
mkdir -p "$work/fakebin"
printf '#!/bin/sh\necho "cargo $*" >"%s/cargo-called"\nmkdir -p "$HOME/.cloudready-action/bin"\ncp "%s" "$HOME/.cloudready-action/bin/cloudready"\n' "$work" "$bin" >"$work/fakebin/cargo"
chmod +x "$work/fakebin/cargo"
PATH="$work/fakebin:$PATH" run commit "$work/_actions/agency/cloudready"
case=commit
grep -q -- '--locked' "$work/cargo-called" || fail "cargo install was not --locked: $(cat "$work/cargo-called")"
[ "$(field 'outputs["exit-code"]')" = 1 ] || fail "exit-code $(field 'outputs["exit-code"]'), expected 1"
echo "ok: commit (built with $(cat "$work/cargo-called"))"
echo "action: ok"
