namespace SecureUpdate;

/// <summary>How far staging a release has come; reported through <see cref="ApplyRequest.Progress"/> once before the first file and after each file, one report at a time and in order.</summary>
/// <param name="Version">The version being staged.</param>
/// <param name="FilesDone">Files verified and written so far (downloaded or reused).</param>
/// <param name="FilesTotal">Files in the release.</param>
/// <param name="BytesDone">Bytes of those files.</param>
/// <param name="BytesTotal">Bytes in the release.</param>
public sealed record UpdateProgress(string Version, int FilesDone, int FilesTotal, long BytesDone, long BytesTotal);
