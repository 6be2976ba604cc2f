namespace OrderPayments.Api.Tests.Docs;

/// <summary>
/// The README's first order by curl runs as written: the block marked <c>&lt;!-- run: readme-first-order --&gt;</c> is
/// run with bash against the API as the one-command run starts it (Development, the simulator embedded, the development
/// keys), with <c>API</c> set to its address and <c>ORDER</c> to a new order id, and the order must end captured.
/// </summary>
public sealed class ReadmeFirstOrderTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task FirstOrderBlock_RunAsWrittenAgainstTheApi_EndsCaptured()
    {
        var block = MarkdownDocs.MarkedBlock(MarkdownDocs.Read("README.md"), "readme-first-order");
        var folder = Directory.CreateTempSubdirectory("orderpayments-readme-");
        try
        {
            var script = Path.Combine(folder.FullName, "first-order.sh");
            await File.WriteAllTextAsync(script, block);
            var curl = await BashRun.RunAsync(RepositoryFiles.Path(Path.Combine("eng", "docs", "ensure-curl.sh")), folder.FullName, new Dictionary<string, string>(), TimeSpan.FromMinutes(10));
            curl.ExitCode.ShouldBe(0, $"eng/docs/ensure-curl.sh: {curl}");
            await using var api = await ApiHost.StartAsync();
            const string order = "readme-first-order-1";

            var run = await BashRun.RunAsync(script, folder.FullName, new Dictionary<string, string>
            {
                ["API"] = api.Address.AbsoluteUri.TrimEnd('/'),
                ["ORDER"] = order,
            }, ScriptTimeout);

            run.ExitCode.ShouldBe(0, run.ToString());
            run.Output.ShouldContain("\"status\":\"Captured\"", customMessage: run.ToString());
            var document = await api.GetOrderAsync(order);
            ((string?)document["status"]).ShouldBe("Captured");
            var captured = (long)document["amounts"]!["captured"]!;
            captured.ShouldBe((long)document["amount"]!);
            captured.ShouldBeGreaterThan(0);
            run.Output.ShouldContain($"\"amounts\":{{\"authorized\":{captured},\"captured\":{captured},", customMessage: "the last command prints the amounts, as the README says");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
