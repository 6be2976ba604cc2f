#!/usr/bin/env bash
# Runs the repository's pinned Bicep CLI (eng/bicep/Bicep.props), restoring it from NuGet first, e.g.
#   eng/bicep/bicep.sh build infra/main.bicep --stdout
#   eng/bicep/bicep.sh lint --pattern 'infra/**/*.bicep'
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dotnet restore "$here/Bicep.proj" -nologo -v:q >/dev/null
bicep="$(dotnet msbuild "$here/Bicep.proj" -nologo -getProperty:BicepExecutable)"
exec "$bicep" "$@"
