#!/usr/bin/env bash
# Runs the load benchmarks on a throwaway PostgreSQL cluster: bench/run.sh [rows] [large-rows]
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/throwaway-postgres.sh
start_throwaway_postgres CHENGXIN_BENCH_POSTGRES
dotnet run -c Release --project bench/Chengxin.Benchmarks -- "$@"
