using Xunit.Abstractions;

namespace OrderPayments.Infra.Tests;

/// <summary>
/// docs/self-hosting.md runs as written: eng/selfhost/check.sh publishes both builds with the guide's commands, then
/// runs its server commands on a throwaway server (install, service, nginx with TLS, backup while orders change, restore,
/// upgrade, rollback) with its own checks between them (see the guide's last section).
/// </summary>
public sealed class SelfHostingGuideTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Guide_EveryCommand_RunsAsWrittenOnAThrowawayServer()
    {
        var run = await ToolRun.RunAsync("bash", RepositoryFiles.Root, TimeSpan.FromMinutes(12), null, "eng/selfhost/check.sh");

        output.WriteLine(run.Output);
        output.WriteLine(run.Errors);
        run.ExitCode.ShouldBe(0, string.Join('\n', run.Diagnostics.TakeLast(60)));
        run.Errors.ShouldContain("docs/self-hosting.md: every block ran as written");
    }
}
