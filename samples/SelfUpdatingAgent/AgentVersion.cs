using System.Reflection;

namespace SelfUpdatingAgent;

/// <summary>The version this build runs, set at publish time (<c>dotnet publish -p:Version=1.1.0</c>).</summary>
internal static class AgentVersion
{
    /// <summary>The informational version without its <c>+commit</c> suffix, as the library reads it.</summary>
    public static string Current { get; } = Read();

    private static string Read()
    {
        var version = typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
