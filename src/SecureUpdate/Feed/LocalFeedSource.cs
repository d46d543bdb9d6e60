using System.IO.Abstractions;
using SecureUpdate.Errors;
using SecureUpdate.Platform;

namespace SecureUpdate.Feed;

/// <summary>A feed in a local folder (or a mounted share).</summary>
internal sealed class LocalFeedSource : IFeedSource
{
    private readonly IFileSystem _fileSystem;
    private readonly string _root;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _stallTimeout;

    public LocalFeedSource(IFileSystem fileSystem, string root, TimeProvider timeProvider, TimeSpan stallTimeout)
    {
        _fileSystem = fileSystem;
        _root = root;
        _timeProvider = timeProvider;
        _stallTimeout = stallTimeout;
    }

    public async Task<byte[]> ReadDocumentAsync(string relativePath, long cap, UpdateStage stage, CancellationToken cancellationToken)
    {
        using var source = Open(relativePath, stage);
        using var buffer = new MemoryStream();
        var (_, overflow) = await StreamCopier.CopyAsync(source, buffer, cap, null, _stallTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        if (overflow)
        {
            throw Error.FeedFileTooLarge(stage, relativePath, cap);
        }

        return buffer.ToArray();
    }

    public async Task<FeedDocument> ReadDocumentIfChangedAsync(string relativePath, long cap, UpdateStage stage, string? etag, CancellationToken cancellationToken)
    {
        // A folder has no ETag: size and modification time stand in for one. A change that keeps
        // both is possible, so this only saves work; what is read is verified as always.
        var info = _fileSystem.FileInfo.New(_fileSystem.Path.Combine(_root, relativePath));
        var validator = info.Exists ? $"\"{info.Length:x}-{info.LastWriteTimeUtc.Ticks:x}\"" : null;
        if (validator is not null && string.Equals(validator, etag, StringComparison.Ordinal))
        {
            return new FeedDocument(null, validator);
        }

        return new FeedDocument(await ReadDocumentAsync(relativePath, cap, stage, cancellationToken).ConfigureAwait(false), validator);
    }

    public async Task<bool> CopyBlobAsync(string relativePath, long size, BlobDestination destination, CancellationToken cancellationToken)
    {
        // A folder gives no validator: its copies always start from byte 0 (and are never kept to continue).
        destination.Restart();
        using var source = Open(relativePath, UpdateStage.Payload);
        destination.Started(_fileSystem.Path.Combine(_root, relativePath), null);
        var (copied, overflow) = await StreamCopier.CopyAsync(source, destination.Stream, size, destination.Hash, _stallTimeout, _timeProvider, cancellationToken).ConfigureAwait(false);
        return !overflow && copied == size;
    }

    public void Dispose()
    {
    }

    private Stream Open(string relativePath, UpdateStage stage)
    {
        var path = _fileSystem.Path.Combine(_root, relativePath);
        try
        {
            return LocalFiles.OpenRegular(_fileSystem, path);
        }
        catch (NotRegularFileException ex)
        {
            // A named pipe would block for ever, a device never end: a feed that serves one is hostile.
            throw Error.FeedFileNotRegular(stage, relativePath, ex.Problem);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw Error.FeedFileMissing(stage, relativePath, $"The feed has no '{relativePath}'.", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Error.Transport(stage, $"Cannot read '{relativePath}' from the feed: {ex.Message}", ex);
        }
    }
}
