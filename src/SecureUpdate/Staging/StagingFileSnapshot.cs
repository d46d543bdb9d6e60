namespace SecureUpdate.Staging;

/// <summary>One file in flight in a <see cref="StagingSnapshot"/>.</summary>
/// <param name="Path">The manifest path.</param>
/// <param name="BytesDone">Bytes written so far (the most any attempt reached).</param>
/// <param name="Size">The signed size.</param>
internal sealed record StagingFileSnapshot(string Path, long BytesDone, long Size);
