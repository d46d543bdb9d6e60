namespace SecureUpdate.Staging;

/// <summary>One progress report of <see cref="StagingProgress"/>: files and bytes done, and the files in flight.</summary>
/// <param name="FilesDone">Files staged completely.</param>
/// <param name="BytesDone">Bytes written so far, in the files done and in those in flight.</param>
/// <param name="InFlight">The files being staged, in the order they started.</param>
internal sealed record StagingSnapshot(int FilesDone, long BytesDone, IReadOnlyList<StagingFileSnapshot> InFlight);
