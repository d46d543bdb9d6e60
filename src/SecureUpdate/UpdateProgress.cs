namespace SecureUpdate;

/// <summary>
/// How far staging a release has come, counted in bytes written to the staging folder (downloaded
/// or copied from an installed version). Reported through <see cref="ApplyRequest.Progress"/>:
/// always once before the first byte (nothing done) and once when every file is staged (everything
/// done, <see cref="InFlight"/> empty), and in between at most every 100 ms while bytes are written
/// or files finish. Reports are made one at a time and in order, and never go backwards: a file
/// fetched again from scratch (its first copy did not match the signed digest) counts once.
/// </summary>
/// <param name="Version">The version being staged.</param>
/// <param name="FilesDone">Files verified and written completely so far (downloaded or reused).</param>
/// <param name="FilesTotal">Files in the release.</param>
/// <param name="BytesDone">Bytes written so far: the files done, plus the part of each file in <see cref="InFlight"/> already written. At most <paramref name="BytesTotal"/>.</param>
/// <param name="BytesTotal">Bytes in the release (the sum of its files' signed sizes).</param>
public sealed record UpdateProgress(string Version, int FilesDone, int FilesTotal, long BytesDone, long BytesTotal)
{
    /// <summary>
    /// The files being staged when the report was made (several at once when downloads run in
    /// parallel), in the order they were started, each with its bytes written so far and its size;
    /// empty in the first and the final report.
    /// </summary>
    public IReadOnlyList<FileProgress> InFlight { get; init; } = [];
}
