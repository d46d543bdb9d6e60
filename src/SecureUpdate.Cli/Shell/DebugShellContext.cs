namespace SecureUpdate.Cli.Shell;

/// <summary>What the prompt works on, all taken from the command line that opened it, never from what is typed.</summary>
/// <param name="Target">The target folder, or the file of a single-file target.</param>
/// <param name="TrustPath">The trust file given with --trust.</param>
/// <param name="Feeds">The feeds given to apply (one, or mirrors in order), or null when the prompt was opened by verify.</param>
internal sealed record DebugShellContext(Target Target, string TrustPath, IReadOnlyList<string>? Feeds);
