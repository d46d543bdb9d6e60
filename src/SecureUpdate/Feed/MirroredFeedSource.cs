using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SecureUpdate.Diagnostics;
using SecureUpdate.Errors;

namespace SecureUpdate.Feed;

/// <summary>
/// Several feeds serving the same signed files (mirrors), tried in order: each document and each blob
/// comes from the first mirror that delivers it. A transport failure (cannot connect, a timeout, a
/// status other than success after the mirror's own retries, a refused redirect, a body cut short)
/// or "not found" (a stale mirror) moves on to the next; a mirror that failed is tried last for the
/// rest of the run. Nothing here trusts the bytes: documents are verified by the caller, and one that
/// fails verification is a refusal, never retried elsewhere; a blob that does not match its signed
/// digest is fetched from the next mirror (<see cref="BlobMismatched"/>) before the release is refused.
/// Authenticity therefore never depends on which mirror answered: a hostile mirror is just a failure.
/// </summary>
internal sealed class MirroredFeedSource : IFeedSource
{
    private readonly IReadOnlyList<(string Name, IFeedSource Source)> _mirrors;
    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly List<int> _order;
    private readonly HashSet<int> _failed = [];
    private readonly ConcurrentDictionary<string, int> _blobServedBy = new(StringComparer.Ordinal);

    /// <param name="mirrors">The mirrors in the order given, each with the location it came from (printed redacted).</param>
    /// <param name="logger">Receives a warning each time a mirror fails and another takes over.</param>
    public MirroredFeedSource(IReadOnlyList<(string Name, IFeedSource Source)> mirrors, ILogger logger)
    {
        if (mirrors.Count < 2)
        {
            throw new ArgumentException("Mirrors are two feeds or more.", nameof(mirrors));
        }

        _mirrors = mirrors;
        _logger = logger;
        _order = [.. Enumerable.Range(0, mirrors.Count)];
    }

    /// <summary>Whether any mirror can continue a download (only the mirror a kept download came from ever does).</summary>
    public bool CanResume => _mirrors.Any(mirror => mirror.Source.CanResume);

    /// <summary>Each mirror once.</summary>
    public int BlobAttempts => _mirrors.Count;

    public Task<byte[]> ReadDocumentAsync(string relativePath, long cap, UpdateStage stage, CancellationToken cancellationToken) =>
        FirstThatDeliversAsync(relativePath, stage, blob: false, (_, source, token) => source.ReadDocumentAsync(relativePath, cap, stage, token), cancellationToken);

    public Task<FeedDocument> ReadDocumentIfChangedAsync(string relativePath, long cap, UpdateStage stage, string? etag, CancellationToken cancellationToken) =>
        FirstThatDeliversAsync(relativePath, stage, blob: false, (_, source, token) => source.ReadDocumentIfChangedAsync(relativePath, cap, stage, etag, token), cancellationToken);

    public Task<bool> CopyBlobAsync(string relativePath, long size, BlobDestination destination, CancellationToken cancellationToken)
    {
        var first = true;
        return FirstThatDeliversAsync(
            relativePath,
            UpdateStage.Payload,
            blob: true,
            async (index, source, token) =>
            {
                if (!first)
                {
                    // What a failed mirror wrote is not kept: the next one starts the file again. (A kept partial
                    // download names the URL it came from, so only that same mirror would ever continue it.)
                    destination.Restart();
                }

                first = false;
                var delivered = await source.CopyBlobAsync(relativePath, size, destination, token).ConfigureAwait(false);
                _blobServedBy[relativePath] = index;
                return delivered;
            },
            cancellationToken);
    }

    public void BlobMismatched(string relativePath)
    {
        if (_blobServedBy.TryRemove(relativePath, out var index))
        {
            MirrorLog.MirrorServedBadBlob(_logger, Error.MirrorName(_mirrors[index].Name), relativePath);
            Demote(index);
        }
    }

    public void Dispose()
    {
        foreach (var (_, source) in _mirrors)
        {
            source.Dispose();
        }
    }

    private async Task<T> FirstThatDeliversAsync<T>(string relativePath, UpdateStage stage, bool blob, Func<int, IFeedSource, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        int[] order;
        lock (_lock)
        {
            order = [.. _order];
        }

        var failures = new List<(string Mirror, TransportException Failure)>(order.Length);
        for (var i = 0; i < order.Length; i++)
        {
            var index = order[i];
            var (name, source) = _mirrors[index];
            if (!blob && failures.Any(failure => failure.Failure.IsNotFound) && HasFailed(index))
            {
                // A mirror said it has no such document (the end of a trust chain, usually); one that
                // already failed in this run is not waited for again to say the same or fail again.
                continue;
            }

            try
            {
                return await read(index, source, cancellationToken).ConfigureAwait(false);
            }
            catch (TransportException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Anything else (a document too large, a special file, cancellation) is not the mirror's
                // availability: it ends the read here, exactly as with one feed.
                failures.Add((name, ex));

                // A trust root, signature or pointer the mirror does not have is an answer, not a failure
                // of the mirror (the end of a trust chain is "not found" everywhere); a missing blob is.
                if (blob || !ex.IsNotFound)
                {
                    Demote(index);
                    if (i + 1 < order.Length)
                    {
                        MirrorLog.MirrorFailed(_logger, Error.MirrorName(name), relativePath, ex.Message, Error.MirrorName(_mirrors[order[i + 1]].Name));
                    }
                }
            }
        }

        // Missing when at least one mirror said so and the others could not be reached: a stale or
        // unreachable mirror must not turn the normal end of a trust chain into a failure.
        var notFound = failures.Any(failure => failure.Failure.IsNotFound);
        throw Error.EveryMirrorFailed(stage, relativePath, failures, notFound);
    }

    /// <summary>Moves a mirror that failed to the end of the order, for the rest of the run.</summary>
    private void Demote(int index)
    {
        lock (_lock)
        {
            _failed.Add(index);
            _order.Remove(index);
            _order.Add(index);
        }
    }

    private bool HasFailed(int index)
    {
        lock (_lock)
        {
            return _failed.Contains(index);
        }
    }
}
