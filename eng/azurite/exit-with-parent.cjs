// Preloaded into Azurite by tests/Shared/Azurite.cs (node --require): the test process holds Azurite's stdin open, so
// when that process goes away without disposing Azurite (a crash, a killed test run), stdin ends and Azurite exits
// instead of living on as an orphan.
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
