namespace SecureUpdate.Errors;

/// <summary>
/// The one factory of the library's exceptions: every message is written here, with its code,
/// stage and typed properties, so call sites read as what went wrong. Values from outside (paths,
/// ids, versions) pass through <see cref="Printable"/>. No message names a command-line flag: the
/// <c>secure-update</c> command adds its own hints from <see cref="ConfigurationException.Setting"/>.
/// </summary>
/// <remarks>Split by layer: <c>Error.Files.cs</c>, <c>Error.Keys.cs</c>, <c>Error.Documents.cs</c>, <c>Error.Feed.cs</c>, <c>Error.Targets.cs</c>.</remarks>
internal static partial class Error
{
    /// <summary>A usage error: a request or option that cannot work as given.</summary>
    public static ConfigurationException Usage(string message, string? setting = null, UpdateStage stage = UpdateStage.Config) =>
        new(ErrorCode.Usage, stage, message) { Setting = setting };

    /// <summary>The hash-allowlist fallback without an allowlist file.</summary>
    public static ConfigurationException AllowlistRequired() =>
        Usage("The hash-allowlist fallback needs an allowlist file.", "AllowlistPath");
}
