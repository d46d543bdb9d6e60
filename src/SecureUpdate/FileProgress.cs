namespace SecureUpdate;

/// <summary>One file of a release being staged, as listed in <see cref="UpdateProgress.InFlight"/>.</summary>
/// <param name="Path">The file's path in the release, relative, with <c>/</c> separators (as the signed manifest lists it).</param>
/// <param name="BytesDone">Bytes of it written to the staging folder so far (at most <paramref name="Size"/>).</param>
/// <param name="Size">Its signed size in bytes.</param>
public sealed record FileProgress(string Path, long BytesDone, long Size);
