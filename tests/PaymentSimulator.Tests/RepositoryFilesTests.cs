namespace PaymentSimulator.Tests;

/// <summary>
/// Issue 25: the tests that read the specifications in ../shared failed, when it was missing, with errors that did not
/// say what was missing. They all read it through <see cref="RepositoryFiles.Shared"/>, which now says.
/// </summary>
public sealed class RepositoryFilesTests : IDisposable
{
    private readonly string _parent = Directory.CreateTempSubdirectory("orderpayments-clone-").FullName;

    public void Dispose() => Directory.Delete(_parent, recursive: true);

    [Fact]
    public void Shared_FolderMissing_NamesTheFolderAndSaysWhereToPlaceIt()
    {
        var root = Directory.CreateDirectory(Path.Combine(_parent, "repo")).FullName;

        var failure = Should.Throw<DirectoryNotFoundException>(() => RepositoryFiles.SharedBeside(root, "vipps/epayment/epayment-swagger-id.v1.8.1.yaml"));

        failure.Message.ShouldContain(Path.Combine(_parent, "shared"));
        failure.Message.ShouldContain("Place the `shared` folder");
        failure.Message.ShouldContain("beside the repository");
        failure.Message.ShouldContain("vipps/epayment/epayment-swagger-id.v1.8.1.yaml");
    }

    [Fact]
    public void Shared_FileMissing_NamesTheFileAndTheFolder()
    {
        var root = Directory.CreateDirectory(Path.Combine(_parent, "repo")).FullName;
        Directory.CreateDirectory(Path.Combine(_parent, "shared"));

        var failure = Should.Throw<FileNotFoundException>(() => RepositoryFiles.SharedBeside(root, "vipps/notes.md"));

        failure.Message.ShouldContain("vipps/notes.md");
        failure.Message.ShouldContain(Path.Combine(_parent, "shared"));
    }

    [Fact]
    public void Shared_FilePresent_IsItsFullPath()
    {
        var root = Directory.CreateDirectory(Path.Combine(_parent, "repo")).FullName;
        Directory.CreateDirectory(Path.Combine(_parent, "shared", "vipps"));
        File.WriteAllText(Path.Combine(_parent, "shared", "vipps", "notes.md"), "notes");

        RepositoryFiles.SharedBeside(root, "vipps/notes.md").ShouldBe(Path.Combine(_parent, "shared", "vipps", "notes.md"));
    }
}
