using System.Text.Json.Nodes;

namespace OrderPayments.Application.Tests;

/// <summary>The README's test command runs the solution filter; a project missing from it would silently go untested.</summary>
public sealed class SolutionFilesTests
{
    private static readonly string[] ProjectFolders = ["src", "tests", "tools", "bench"];

    private static IEnumerable<string> ProjectsOnDisk() =>
        ProjectFolders
            .Select(RepositoryFiles.Path)
            .Where(Directory.Exists)
            .SelectMany(dir => Directory.EnumerateFiles(dir, "*.csproj", SearchOption.AllDirectories))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"))
            .Select(path => Path.GetRelativePath(RepositoryFiles.Root, path).Replace('\\', '/'));

    [Fact]
    public void FunctionsSln_ListsEveryProject()
    {
        var solution = File.ReadAllText(RepositoryFiles.Path("Functions.sln")).Replace('\\', '/');

        ProjectsOnDisk().ShouldAllBe(project => solution.Contains(project));
    }

    [Fact]
    public void SolutionFilter_ListsEveryProject()
    {
        var filter = JsonNode.Parse(File.ReadAllText(RepositoryFiles.Path("OrderPayments.slnf")))!["solution"]!["projects"]!
            .AsArray().Select(p => p!.GetValue<string>().Replace('\\', '/')).ToHashSet();

        ProjectsOnDisk().ShouldAllBe(project => filter.Contains(project));
    }

    [Fact]
    public void DirectoryBuildProps_DriftOfOurOwnPins_FailsTheBuild()
    {
        // NuGet turns NU1603 (a pinned version not served, a newer one taken) into an error from this property itself,
        // so our projects fail on drift even where CI exempts the Functions SDK's inner WorkerExtensions restore.
        var props = File.ReadAllText(RepositoryFiles.Path("Directory.Build.props"));

        props.ShouldContain("<WarningsAsErrors>$(WarningsAsErrors);NU1603;NU1605</WarningsAsErrors>");
        File.ReadAllText(RepositoryFiles.Path(".ci/run")).ShouldContain("-warnaserror -warnnotaserror:NU1603");
    }
}
