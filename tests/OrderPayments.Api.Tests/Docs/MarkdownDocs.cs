using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OrderPayments.Api.Tests.Docs;

/// <summary>
/// Reads the repository's documentation (README.md and docs/*.md) as GitHub renders it, for the tests that keep it true:
/// the blocks marked to be run, the links, the anchors of the headings, and the repository paths it names.
/// </summary>
internal static partial class MarkdownDocs
{
    /// <summary>README.md and every docs/*.md, as paths relative to the repository root with '/' separators.</summary>
    public static IReadOnlyList<string> Files { get; } =
    [
        "README.md",
        .. Directory.GetFiles(RepositoryFiles.Path("docs"), "*.md").Select(f => "docs/" + Path.GetFileName(f)).Order(StringComparer.Ordinal),
    ];

    /// <summary>The text of a documentation file (path relative to the repository root).</summary>
    public static string Read(string file) => File.ReadAllText(RepositoryFiles.Path(file)).ReplaceLineEndings("\n");

    /// <summary>
    /// The content of the one fenced <c>```bash</c> block that directly follows the comment <c>&lt;!-- run: NAME --&gt;</c>
    /// (the marker of a block a test runs as written).
    /// </summary>
    /// <exception cref="InvalidOperationException">There is no such block, or more than one.</exception>
    public static string MarkedBlock(string markdown, string name)
    {
        var marker = $"<!-- run: {name} -->";
        var lines = markdown.Split('\n');
        var blocks = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim() != marker)
            {
                continue;
            }

            if (i + 1 >= lines.Length || lines[i + 1].TrimEnd() != "```bash")
            {
                throw new InvalidOperationException($"{marker} (line {i + 1}) must be followed directly by a ```bash block.");
            }

            var end = Array.FindIndex(lines, i + 2, line => line.StartsWith("```", StringComparison.Ordinal));
            if (end < 0)
            {
                throw new InvalidOperationException($"The block after {marker} (line {i + 1}) is never closed.");
            }

            blocks.Add(string.Join('\n', lines[(i + 2)..end]) + "\n");
        }

        return blocks.Count == 1
            ? blocks[0]
            : throw new InvalidOperationException($"Expected one block marked {marker}, found {blocks.Count}.");
    }

    /// <summary>The targets of the Markdown links outside code (inline links and images, and reference definitions), in order.</summary>
    public static IReadOnlyList<string> Links(string markdown)
    {
        var prose = WithoutCode(markdown);
        return [.. InlineLink().Matches(prose).Select(m => m.Groups["target"].Value)
            .Concat(ReferenceDefinition().Matches(prose).Select(m => m.Groups["target"].Value))];
    }

    /// <summary>The anchors GitHub gives the headings of <paramref name="markdown"/> (<c>## 3. Behind nginx</c> → <c>3-behind-nginx</c>).</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in WithoutFencedBlocks(markdown).Split('\n'))
        {
            var heading = Heading().Match(line);
            if (!heading.Success)
            {
                continue;
            }

            var slug = Slug(heading.Groups["text"].Value);
            var count = seen.GetValueOrDefault(slug);
            seen[slug] = count + 1;
            anchors.Add(count == 0 ? slug : $"{slug}-{count.ToString(CultureInfo.InvariantCulture)}");
        }

        return anchors;
    }

    /// <summary>
    /// GitHub's anchor for a heading's text: the text of links and code kept, lower case, everything but letters, digits,
    /// spaces, hyphens and underscores dropped, each space a hyphen.
    /// </summary>
    public static string Slug(string heading)
    {
        var text = InlineLink().Replace(heading.Trim(), m => m.Groups["text"].Value).Replace("`", "", StringComparison.Ordinal);
        var slug = new StringBuilder();
        foreach (var c in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(c) || c is '-' or '_')
            {
                slug.Append(c);
            }
            else if (c == ' ')
            {
                slug.Append('-');
            }
        }

        return slug.ToString();
    }

    /// <summary>
    /// The paths into the repository that <paramref name="markdown"/> names in code, in prose or in commands
    /// (<c>src/…</c>, <c>tests/…</c>, <c>tools/…</c>, <c>eng/…</c>, <c>bench/…</c>, <c>deploy/…</c>, <c>infra/…</c>,
    /// <c>docs/…</c>), leaving out those written as patterns (with <c>…</c>, <c>*</c>, <c>{</c> or <c>&lt;</c>).
    /// </summary>
    public static IReadOnlyList<string> RepositoryPaths(string markdown) =>
        [.. RepositoryPath().Matches(markdown)
            .Select(m => m.Value.TrimEnd('.', ':'))
            .Where(path => path.IndexOfAny(['…', '*', '{', '<']) < 0)
            .Select(path => path.Split('#')[0])
            .Distinct(StringComparer.Ordinal)];

    /// <summary>The text with fenced blocks and inline code spans blanked out (links in code are not links).</summary>
    private static string WithoutCode(string markdown) => InlineCode().Replace(WithoutFencedBlocks(markdown), "");

    private static string WithoutFencedBlocks(string markdown)
    {
        var kept = new StringBuilder();
        var inside = false;
        foreach (var line in markdown.Split('\n'))
        {
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inside = !inside;
                kept.Append('\n');
                continue;
            }

            kept.Append(inside ? "" : line).Append('\n');
        }

        return kept.ToString();
    }

    [GeneratedRegex(@"!?\[(?<text>(?:[^\[\]]|\[[^\[\]]*\])*)\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();

    [GeneratedRegex(@"^ {0,3}\[[^\]]+\]:\s*(?<target>\S+)", RegexOptions.Multiline)]
    private static partial Regex ReferenceDefinition();

    [GeneratedRegex(@"`+[^`]*`+")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"^ {0,3}#{1,6}\s+(?<text>.+?)\s*#*\s*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"(?<![\w/.-])(?:src|tests|tools|eng|bench|deploy|infra|docs)/[^\s`'""()\[\],;|]+")]
    private static partial Regex RepositoryPath();
}
