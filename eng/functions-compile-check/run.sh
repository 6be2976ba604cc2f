#!/usr/bin/env bash
# Compile check of the Azure Functions app where its SDK packages cannot be restored (this build environment).
# Copies the repository to a temporary folder, replaces the Functions SDK package references with stand-in
# declarations of the SDK surface the app uses (SdkSurface.cs.txt: signatures as documented, no behaviour), builds
# src/OrderPayments.Functions with the repository's analyzers, and runs tests/OrderPayments.Functions.Tests (their
# mocks replace the SDK's behaviour anyway). It proves the app's own code compiles and its orchestrator logic
# passes its tests; it does NOT prove the real SDK has these exact signatures: build against nuget.org for that.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/repo"
(cd "$root" && git ls-files -z | xargs -0 -I{} cp --parents {} "$work/repo/")
[ -d "$root/../shared" ] && ln -s "$root/../shared" "$work/shared"
mkdir -p "$work/repo/eng/sdk-surface"
cp "$here/SdkSurface.cs.txt" "$work/repo/eng/sdk-surface/SdkSurface.cs"
cp "$here/SdkSurface.csproj.txt" "$work/repo/eng/sdk-surface/SdkSurface.csproj"
python3 - "$work/repo" <<'PY'
import re, sys
repo = sys.argv[1]
p = f"{repo}/src/OrderPayments.Functions/OrderPayments.Functions.csproj"
s = open(p).read()
s = re.sub(r'\s*<PackageReference Include="Microsoft\.Azure\.Functions[^>]*/>', '', s)
s = s.replace('<ProjectReference Include="..\\OrderPayments.Vipps\\OrderPayments.Vipps.csproj" />',
              '<ProjectReference Include="..\\OrderPayments.Vipps\\OrderPayments.Vipps.csproj" />\n    <ProjectReference Include="..\\..\\eng\\sdk-surface\\SdkSurface.csproj" />')
open(p, "w").write(s)
# Moq: whatever version this machine's feed has (the pinned one may be missing from a mirror).
p = f"{repo}/Directory.Packages.props"
s = open(p).read()
s = s.replace('<PackageVersion Include="Moq" Version="$(MoqVersion)" />', f'<PackageVersion Include="Moq" Version="{sys.argv[2] if len(sys.argv) > 2 else "$(MoqVersion)"}" />')
open(p, "w").write(s)
PY
cd "$work/repo"
dotnet build tests/OrderPayments.Functions.Tests -p:UseFunctionsWorkerSdk=false -p:MoqVersion="${MOQ_VERSION:-4.21.0}" -warnaserror -nologo -v q
dotnet test tests/OrderPayments.Functions.Tests --no-build -nologo
