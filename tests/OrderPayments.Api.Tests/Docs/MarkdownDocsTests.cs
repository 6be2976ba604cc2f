namespace OrderPayments.Api.Tests.Docs;

/// <summary>The reader the documentation tests rely on: it must see the links, anchors and blocks GitHub shows.</summary>
public sealed class MarkdownDocsTests
{
    [Theory]
    [InlineData("3. Behind nginx with TLS", "3-behind-nginx-with-tls")]
    [InlineData("The Functions host's own settings", "the-functions-hosts-own-settings")]
    [InlineData("Signals: shipments, cancellations, refunds, new attempts", "signals-shipments-cancellations-refunds-new-attempts")]
    [InlineData("The `Runtime:` section", "the-runtime-section")]
    [InlineData("See [the API](api.md) now", "see-the-api-now")]
    [InlineData("Vipps ePayment — directly", "vipps-epayment--directly")]
    public void Slug_Heading_IsGitHubsAnchor(string heading, string anchor) => MarkdownDocs.Slug(heading).ShouldBe(anchor);

    [Fact]
    public void Anchors_RepeatedHeading_GetNumberedAnchors()
    {
        var anchors = MarkdownDocs.Anchors("# Title\n## Setup\ntext\n## Setup\n```\n## not a heading\n```\n");

        anchors.ShouldBe(["title", "setup", "setup-1"], ignoreOrder: true);
    }

    [Fact]
    public void Links_InProseCodeAndBlocks_OnlyTheProseOnesAreLinks()
    {
        var links = MarkdownDocs.Links("See [the API](docs/api.md#limits), ![a picture](img.png) and `[not](a-link.md)`.\n```\n[nor](this.md)\n```\n[ref]: docs/x.md\n");

        links.ShouldBe(["docs/api.md#limits", "img.png", "docs/x.md"]);
    }

    [Fact]
    public void MarkedBlock_TheBashBlockAfterTheMarker_IsItsContent()
    {
        var block = MarkdownDocs.MarkedBlock("Text\n<!-- run: demo -->\n```bash\necho one\necho two\n```\n```bash\necho other\n```\n", "demo");

        block.ShouldBe("echo one\necho two\n");
    }

    [Theory]
    [InlineData("Text\n```bash\necho unmarked\n```\n")]
    [InlineData("<!-- run: demo -->\n\n```bash\necho not directly after\n```\n")]
    [InlineData("<!-- run: demo -->\n```bash\necho a\n```\n<!-- run: demo -->\n```bash\necho b\n```\n")]
    public void MarkedBlock_MissingMisplacedOrTwice_Throws(string markdown) =>
        Should.Throw<InvalidOperationException>(() => MarkdownDocs.MarkedBlock(markdown, "demo"));

    [Fact]
    public void RepositoryPaths_InProseAndCode_PathsButNotPatternsOrUrls()
    {
        var paths = MarkdownDocs.RepositoryPaths("Run `dotnet test tests/OrderPayments.Api.Tests`; see docs/api.md#limits, `bench/…/x.dll`, https://example.com/docs/y and src/A/{name}.cs.\n");

        paths.ShouldBe(["tests/OrderPayments.Api.Tests", "docs/api.md"]);
    }
}
