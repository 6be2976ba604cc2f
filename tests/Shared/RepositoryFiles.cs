namespace OrderPayments.Tests.Shared;

/// <summary>Finds files at the repository root, from wherever the tests run.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>A file in <c>../shared</c>, the folder CI places beside the repository (specifications, notes).</summary>
    public static string Shared(string relative) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, "..", "shared", relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Functions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Functions.sln above {AppContext.BaseDirectory}.");
    }
}
