namespace SecureUpdate.Tests.Crash;

/// <summary>How the trials of <see cref="RandomKillTests"/> ended, for the report in the test output.</summary>
internal sealed class RandomKillTally
{
    /// <summary>Trials whose apply died by the kill.</summary>
    public int Killed { get; set; }

    /// <summary>Trials whose apply had already finished when the kill came.</summary>
    public int Finished { get; set; }

    /// <summary>Trials killed between writing the journal and clearing it.</summary>
    public int JournalLeft { get; set; }

    public int OldRightAfter { get; set; }

    public int NewRightAfter { get; set; }

    /// <summary>Trials on the old release once the next command had settled the target.</summary>
    public int Old { get; set; }

    /// <summary>Trials on the new release once the next command had settled the target.</summary>
    public int New { get; set; }

    /// <summary>Trials after whose recovery a temporary file of an interrupted atomic write was still there.</summary>
    public int TemporaryFilesLeft { get; set; }

    /// <summary>Which temporary files were left (target-relative, the GUID replaced by <c>*</c>).</summary>
    public HashSet<string> TemporaryFileNames { get; } = new(StringComparer.Ordinal);

    /// <summary>Time spent copying and deleting trial targets.</summary>
    public TimeSpan Copying { get; set; }

    /// <summary>Time spent in the applies that were killed, including waiting for them to die.</summary>
    public TimeSpan Killing { get; set; }

    /// <summary>Time spent in <c>status</c>, <c>verify</c> and the checks of the invariant.</summary>
    public TimeSpan Recovering { get; set; }

    /// <summary>Time spent in the applies that follow recovery.</summary>
    public TimeSpan Applying { get; set; }
}
