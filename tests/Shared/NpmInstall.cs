using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace OrderPayments.Tests.Shared;

/// <summary>
/// Installs an npm tool the tests need from the repository's own pinned files: a folder under <c>eng/</c> with a
/// <c>package.json</c> that pins one package and its <c>package-lock.json</c>. When the pinned version is not installed
/// there, <c>npm ci</c> runs in that folder first, under a cross-process file lock (<c>.install.lock</c> beside it) so
/// that test classes and projects running in parallel install it once. Needs Node.js and npm on PATH.
/// </summary>
internal static class NpmInstall
{
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Makes sure <paramref name="package"/>, as pinned in <paramref name="directory"/>'s package.json, is installed in
    /// its <c>node_modules</c> with every one of <paramref name="files"/> (paths under <paramref name="directory"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">npm is missing, or <c>npm ci</c> failed: the message has what npm printed.</exception>
    /// <exception cref="TimeoutException">The install lock was not had, or npm did not finish, within 10 minutes.</exception>
    public static async Task EnsureAsync(string directory, string package, params string[] files)
    {
        if (IsInstalled(directory, package, files))
        {
            return;
        }

        var lockPath = Path.Combine(directory, ".install.lock");
        FileStream? held = null;
        await Eventually.Holds(() => (held = TryLockExclusively(lockPath)) is not null, $"the install lock {lockPath}", InstallTimeout);
        await using (held)
        {
            if (IsInstalled(directory, package, files))
            {
                // Another test process installed it while this one waited for the lock.
                return;
            }

            var elapsed = Stopwatch.StartNew();
            var npm = new ProcessStartInfo(OperatingSystem.IsWindows() ? "cmd.exe" : "npm")
            {
                WorkingDirectory = directory,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            if (OperatingSystem.IsWindows())
            {
                // npm is a batch file there.
                npm.ArgumentList.Add("/d");
                npm.ArgumentList.Add("/c");
                npm.ArgumentList.Add("npm");
            }

            foreach (var argument in new[] { "ci", "--no-audit", "--no-fund" })
            {
                npm.ArgumentList.Add(argument);
            }

            var output = new StringBuilder();
            using var process = new Process { StartInfo = npm };
            process.OutputDataReceived += (_, e) => Append(output, e.Data);
            process.ErrorDataReceived += (_, e) => Append(output, e.Data);
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                throw new InvalidOperationException($"npm must be on PATH to install {package} ({directory}): starting npm failed ({e.Message}).", e);
            }

            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var deadline = new CancellationTokenSource(InstallTimeout);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException e)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"`npm ci` in {directory} did not finish within {InstallTimeout}. npm printed:\n{Text(output)}", e);
            }

            if (process.ExitCode != 0 || !IsInstalled(directory, package, files))
            {
                throw new InvalidOperationException(
                    $"`npm ci --no-audit --no-fund` in {directory} failed (exit code {process.ExitCode}, "
                    + $"{elapsed.Elapsed.TotalSeconds:F0} s): {package} is not installed. npm printed:\n{Text(output)}");
            }
        }
    }

    /// <summary>Installed means every file is there and the installed version is the one package.json pins.</summary>
    private static bool IsInstalled(string directory, string package, string[] files)
    {
        var installedManifest = Path.Combine(directory, "node_modules", package, "package.json");
        if (!File.Exists(installedManifest) || !files.All(file => File.Exists(Path.Combine(directory, file))))
        {
            return false;
        }

        var pinned = JsonNode.Parse(File.ReadAllText(Path.Combine(directory, "package.json")))?["dependencies"]?[package]?.GetValue<string>();
        var installed = JsonNode.Parse(File.ReadAllText(installedManifest))?["version"]?.GetValue<string>();
        return pinned is not null && pinned == installed;
    }

    private static FileStream? TryLockExclusively(string path)
    {
        try
        {
            // FileShare.None is an exclusive lock across processes (flock on Unix); it ends when the stream is disposed.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
