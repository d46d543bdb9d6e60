namespace SecureUpdate.Tests.Samples;

/// <summary>The <c>dotnet</c> host that runs the samples (and, for the JIT build, the CLI).</summary>
internal static class DotnetHost
{
    /// <summary>The host's path: <c>DOTNET_HOST_PATH</c> (set by <c>dotnet test</c>), this process's host, or <c>dotnet</c> on PATH.</summary>
    public static string Path { get; } = Find();

    /// <summary>The folder of the .NET installation, for <c>DOTNET_ROOT</c>: a single-file app finds its runtime there.</summary>
    public static string? Root { get; } = FindRoot();

    private static string Find()
    {
        var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(hostPath) && File.Exists(hostPath))
        {
            return hostPath;
        }

        var processPath = Environment.ProcessPath;
        return processPath is not null && System.IO.Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : "dotnet";
    }

    private static string? FindRoot()
    {
        if (!System.IO.Path.IsPathRooted(Path))
        {
            return Environment.GetEnvironmentVariable("DOTNET_ROOT");
        }

        var real = new FileInfo(Path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path;
        return System.IO.Path.GetDirectoryName(real);
    }
}
