namespace OrderPayments.Api.Tests.Docs;

/// <summary>
/// The README and docs/*.md cannot rot: every relative link points at a file that exists (and at a heading that exists,
/// when it names one in a Markdown file), every doc is linked from the README, and every repository path they name is
/// there.
/// </summary>
public sealed class DocumentationLinksTests
{
    /// <summary>Paths the docs name that are made when the software runs or is installed, not kept in the repository.</summary>
    private static readonly string[] MadeAtRunTime =
    [
        "src/OrderPayments.Api/data/", // the store of the one-command run, ./data/orders.db in the project's folder
        "/node_modules", // what the tests' npm ci installs (eng/azurite, eng/openapi-lint)
        "src/OrderPayments.Functions/local.settings.json", // the Functions host's local settings, copied from the sample
    ];

    [Fact]
    public void RelativeLinks_InTheReadmeAndDocs_PointAtFilesAndHeadingsThatExist()
    {
        var broken = new List<string>();
        foreach (var file in MarkdownDocs.Files)
        {
            var markdown = MarkdownDocs.Read(file);
            foreach (var link in MarkdownDocs.Links(markdown).Where(IsRelative))
            {
                if (Problem(file, markdown, link) is { } problem)
                {
                    broken.Add($"{file}: ({link}) {problem}");
                }
            }
        }

        broken.ShouldBeEmpty(string.Join('\n', broken));
    }

    [Fact]
    public void Readme_LinksEveryDoc()
    {
        var linked = MarkdownDocs.Links(MarkdownDocs.Read("README.md"))
            .Where(IsRelative)
            .Select(link => link.Split('#')[0])
            .ToHashSet(StringComparer.Ordinal);

        var unlinked = MarkdownDocs.Files.Where(file => file.StartsWith("docs/", StringComparison.Ordinal) && !linked.Contains(file)).ToList();

        unlinked.ShouldBeEmpty($"README.md links no {string.Join(", ", unlinked)}");
    }

    [Fact]
    public void RepositoryPaths_NamedInTheReadmeAndDocs_Exist()
    {
        var missing = MarkdownDocs.Files
            .SelectMany(file => MarkdownDocs.RepositoryPaths(MarkdownDocs.Read(file)).Select(path => (File: file, Path: path)))
            .Where(named => !MadeAtRunTime.Any(named.Path.Contains) && !Exists(named.Path))
            .Select(named => $"{named.File}: {named.Path}")
            .ToList();

        missing.ShouldBeEmpty(string.Join('\n', missing));
    }

    private static bool IsRelative(string link) =>
        !link.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        && !link.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
        && !link.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);

    /// <summary>What is wrong with <paramref name="link"/> in <paramref name="file"/>, or null when it resolves.</summary>
    private static string? Problem(string file, string markdown, string link)
    {
        var hash = link.IndexOf('#', StringComparison.Ordinal);
        var path = hash < 0 ? link : link[..hash];
        var anchor = hash < 0 ? null : Uri.UnescapeDataString(link[(hash + 1)..]);
        string target;
        if (path.Length == 0)
        {
            target = file;
        }
        else
        {
            var folder = Path.GetDirectoryName(file) ?? "";
            target = Path.GetRelativePath(RepositoryFiles.Root, Path.GetFullPath(Path.Combine(RepositoryFiles.Root, folder, Uri.UnescapeDataString(path)))).Replace('\\', '/');
            if (target.StartsWith("..", StringComparison.Ordinal))
            {
                return "points outside the repository";
            }

            if (!Exists(target))
            {
                return $"{target} does not exist";
            }
        }

        if (anchor is null || !target.EndsWith(".md", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var headings = MarkdownDocs.Anchors(target == file ? markdown : File.ReadAllText(RepositoryFiles.Path(target)).ReplaceLineEndings("\n"));
        return headings.Contains(anchor) ? null : $"{target} has no heading #{anchor}";
    }

    private static bool Exists(string path) => File.Exists(RepositoryFiles.Path(path)) || Directory.Exists(RepositoryFiles.Path(path));
}
