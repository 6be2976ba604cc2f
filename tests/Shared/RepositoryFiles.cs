namespace OrderPayments.Tests.Shared;

/// <summary>Finds files at the repository root, from wherever the tests run.</summary>
internal static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>
    /// A file in <c>../shared</c>, the folder of specifications and notes that is handed out with the repository and
    /// placed beside the clone (CI places it there too). Every test that reads it goes through here.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">There is no <c>shared</c> folder beside the repository: the message names the folder and says where to place it.</exception>
    /// <exception cref="FileNotFoundException">The folder is there but not the file: the message names both.</exception>
    public static string Shared(string relative) => SharedBeside(Root, relative);

    /// <summary><see cref="Shared"/> for the repository at <paramref name="root"/>.</summary>
    internal static string SharedBeside(string root, string relative)
    {
        var folder = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, "..", "shared"));
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException(
                $"The folder {folder} is missing: this test reads {relative} from it. Place the `shared` folder (the specifications and notes handed out with the repository) beside the repository, "
                + $"so that {System.IO.Path.GetFileName(System.IO.Path.TrimEndingDirectorySeparator(root))} and shared are in the same folder (docs/testing.md).");
        }

        var file = System.IO.Path.GetFullPath(System.IO.Path.Combine(folder, relative));
        return File.Exists(file)
            ? file
            : throw new FileNotFoundException($"The file {relative} is missing from the shared folder {folder}: it needs the full `shared` folder handed out with the repository (docs/testing.md).", file);
    }

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
