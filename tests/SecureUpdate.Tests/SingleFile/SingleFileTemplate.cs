using System.Text;
using SecureUpdate.Tests.Infrastructure;

namespace SecureUpdate.Tests.SingleFile;

/// <summary>
/// Built once per test run with the real CLI and copied (never changed) by the single-file tests: a release key,
/// a feed holding tool 1.0.0, a feed holding 1.0.0 and 2.0.0, and a folder with the tool installed at each version
/// (the 2.0.0 one keeps 1.0.0 as its previous file).
/// </summary>
internal sealed class SingleFileTemplate
{
    public const string App = "tool";
    public const string V1 = "1.0.0";
    public const string V2 = "2.0.0";

    /// <summary>The file name the tool is installed as.</summary>
    public const string FileName = "tool";

    public const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private static readonly Lazy<Task<SingleFileTemplate>> s_instance = new(CreateAsync);

    private SingleFileTemplate(string root)
    {
        Root = root;
        Key = ForgedKey.Create();
    }

    public string Root { get; }

    /// <summary>The publisher's key; <see cref="TrustFile"/> pins it.</summary>
    public ForgedKey Key { get; }

    public string TrustFile => Path.Combine(Root, "release.pub");

    /// <summary>The feed as it was right after releasing <paramref name="version"/>.</summary>
    public string Feed(string version) => Path.Combine(Root, "feed-" + version);

    /// <summary>A folder (mode 0700) holding <see cref="FileName"/> installed at <paramref name="version"/> and its state.</summary>
    public string Installed(string version) => Path.Combine(Root, "installed-" + version);

    /// <summary>The tool's single file in release <paramref name="version"/>: a small executable script.</summary>
    public static ForgedFile Tool(string version) =>
        new(FileName, Encoding.UTF8.GetBytes($"#!/bin/sh\necho tool {version}\n" + (version == V1 ? "" : "# a longer file than before\n")), executable: true);

    public static Task<SingleFileTemplate> GetAsync() => s_instance.Value;

    /// <summary>Creates a folder with mode 0700, whatever the umask.</summary>
    public static string CreateOwnerOnlyFolder(string path)
    {
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, OwnerOnlyFolder);
        }

        return path;
    }

    private static async Task<SingleFileTemplate> CreateAsync()
    {
        var root = CreateOwnerOnlyFolder(Path.Combine(Path.GetTempPath(), "secure-update-tests", "single-template-" + Guid.NewGuid().ToString("N")[..12]));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => TempFolder.DeleteTree(root);

        var template = new SingleFileTemplate(root);
        template.Key.WritePublicKeyFile(template.TrustFile);
        new FeedForger(template.Feed(V1)).Publish(App, "stable", V1, [Tool(V1)], null, template.Key);
        DirectoryCopy.Copy(template.Feed(V1), template.Feed(V2));
        new FeedForger(template.Feed(V2)).Publish(App, "stable", V2, [Tool(V2)], null, template.Key);

        var installed = CreateOwnerOnlyFolder(template.Installed(V1));
        (await CliRunner.RunAsync("apply", "--feed", template.Feed(V1), "--trust", template.TrustFile, "--target-file", Path.Combine(installed, FileName), "--app", App))
            .ShouldExitWith(0);
        DirectoryCopy.Copy(installed, template.Installed(V2));
        (await CliRunner.RunAsync("apply", "--feed", template.Feed(V2), "--trust", template.TrustFile, "--target-file", Path.Combine(template.Installed(V2), FileName)))
            .ShouldExitWith(0);
        return template;
    }
}
