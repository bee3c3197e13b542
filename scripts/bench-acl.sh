#!/usr/bin/env bash
# Access-control decision cost at 10 / 1,000 / 10,000 rules (Release build). Prints ns per decision.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project tests/Portal.Benchmarks/Portal.Benchmarks.csproj "$@"
