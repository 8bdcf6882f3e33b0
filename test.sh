#!/usr/bin/env bash
# The one test command: installs what the tests need (PostgreSQL, chromium, CJK fonts) when missing,
# starts a throwaway PostgreSQL cluster on a free loopback port, checks formatting, runs every test
# project, stops the cluster, and ends with the line "N passed, N failed, N skipped".
# Under CI (CI=true) a dependency that cannot be had fails the run; it is never skipped.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)
results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

say() { printf '\n== %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "test.sh: need root (or sudo) to install: $*" >&2; return 1; fi
}

apt_updated=
need_packages() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

need_packages postgresql chromium fonts-noto-cjk

# --- a throwaway PostgreSQL cluster on 127.0.0.1 and a free port, stopped on exit ------------------
. scripts/throwaway-postgres.sh
start_throwaway_postgres CHENGXIN_TEST_POSTGRES
export CHENGXIN_TEST_CHROMIUM=/usr/bin/chromium

# --- build, format, test -------------------------------------------------------------------------
say "building"
dotnet build Chengxin.slnx -c Release -nologo -v quiet
say "checking formatting (dotnet format --verify-no-changes)"
dotnet format Chengxin.slnx --verify-no-changes --no-restore -v quiet
say "checking packages for known vulnerabilities (dotnet list package --vulnerable)"
vulnerable=$(dotnet list Chengxin.slnx package --vulnerable --include-transitive 2>&1)
if echo "$vulnerable" | grep -q "has the following vulnerable packages"; then
  echo "$vulnerable"; echo "A package with a known vulnerability is referenced; upgrade it."; exit 1
fi

status=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  say "testing $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done

# --- counts --------------------------------------------------------------------------------------
python3 - "$results" <<'PY'
import glob, sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find("t:ResultSummary/t:Counters", ns)
    passed += int(c.get("passed", 0)); failed += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    skipped += int(c.get("notExecuted", 0))
print(f"\n{passed} passed, {failed} failed, {skipped} skipped")
PY
exit $status
