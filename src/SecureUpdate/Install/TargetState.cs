using System.IO.Abstractions;
using SecureUpdate.Formats;
using SecureUpdate.IO;
using SecureUpdate.Manifests;

namespace SecureUpdate.Install;

/// <summary>A target's local state: app, channel and version floor.</summary>
internal sealed class TargetState
{
    private const int MaxBytes = 64 * 1024;

    public TargetState(string app, string channel, SemanticVersion? floor)
    {
        App = app;
        Channel = channel;
        Floor = floor;
    }

    public string App { get; }

    public string Channel { get; }

    /// <summary>The highest version ever installed here; nothing below it is installed again.</summary>
    public SemanticVersion? Floor { get; }

    /// <summary>Reads the state, or null when the target has none yet.</summary>
    public static TargetState? Read(IFileSystem fileSystem, TargetPaths paths)
    {
        if (!fileSystem.File.Exists(paths.StateFile))
        {
            return null;
        }

        var bytes = LocalFiles.ReadCapped(fileSystem, paths.StateFile, MaxBytes, "state file");
        try
        {
            var doc = StrictJson.Parse(bytes, SecureUpdateJsonContext.Default.StateDocument);
            SemanticVersion? floor = null;
            if (doc.Schema != StateDocument.SchemaName || !Identifiers.IsValid(doc.App) || !Identifiers.IsValid(doc.Channel)
                || (doc.Floor is not null && !SemanticVersion.TryParse(doc.Floor, out floor)))
            {
                throw new FormatException("unexpected content");
            }

            return new TargetState(doc.App, doc.Channel, floor);
        }
        catch (FormatException ex)
        {
            throw new ConfigurationException(ErrorCode.Config, UpdateStage.Config, $"The target's state file '{paths.StateFile}' is damaged: {ex.Message}.", ex);
        }
    }

    /// <summary>Writes the state durably.</summary>
    public void Write(TargetPaths paths)
    {
        var doc = new StateDocument { Schema = StateDocument.SchemaName, App = App, Channel = Channel, Floor = Floor?.ToString() };
        DiskOperations.WriteFileAtomic(paths.StateFile, StrictJson.Write(doc, SecureUpdateJsonContext.Default.StateDocument), DiskOperations.OwnerOnlyFile);
    }
}
