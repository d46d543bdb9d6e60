namespace SecureUpdate;

/// <summary>How far staging a release has come; reported through <see cref="ApplyRequest.Progress"/> after each file.</summary>
/// <param name="Version">The version being staged.</param>
/// <param name="FilesDone">Files verified and written so far (downloaded or reused).</param>
/// <param name="FilesTotal">Files in the release.</param>
/// <param name="BytesDone">Bytes of those files.</param>
/// <param name="BytesTotal">Bytes in the release.</param>
public sealed record UpdateProgress(string Version, int FilesDone, int FilesTotal, long BytesDone, long BytesTotal);
