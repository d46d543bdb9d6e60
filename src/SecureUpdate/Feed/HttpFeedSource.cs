using System.Net;
using System.Net.Http.Headers;
using Polly;
using Polly.Retry;
using SecureUpdate.Configuration;
using SecureUpdate.Errors;
using SecureUpdate.Platform;

namespace SecureUpdate.Feed;

/// <summary>
/// A feed over HTTP(S). Status-level retries and the per-try timeout live in the
/// HttpClient's Polly handlers; a body cut short or stalled is retried here, because it
/// fails after the handler has already returned the response. Redirects are followed here, not by
/// the handler, so that every hop is checked before it is connected to: http(s) only, never from
/// https to plain http, and plain http only to loopback unless insecure HTTP is allowed.
/// </summary>
internal sealed class HttpFeedSource : IFeedSource
{
    /// <summary>Most redirects followed for one request (as many as the handler used to follow).</summary>
    internal const int MaxRedirects = 5;

    private readonly HttpClient _client;
    private readonly Uri _baseUri;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _stallTimeout;
    private readonly SecureUpdateOptions _options;
    private readonly AsyncRetryPolicy _bodyRetry;

    public HttpFeedSource(HttpClient client, Uri baseUri, TimeProvider timeProvider, SecureUpdateOptions options)
    {
        _client = client;
        _baseUri = baseUri.AbsoluteUri.EndsWith('/') ? baseUri : new Uri(baseUri.AbsoluteUri + "/");
        _timeProvider = timeProvider;
        _stallTimeout = options.StallTimeout;
        _options = options;
        _bodyRetry = Policy
            .Handle<HttpIOException>()
            .Or<StallException>()
            .Or<IOException>(ex => ex is not FileNotFoundException)
            .WaitAndRetryAsync(options.RetryCount, attempt => RetryDelays.Backoff(options.RetryBaseDelay, attempt));
    }

    public async Task<byte[]> ReadDocumentAsync(string relativePath, long cap, UpdateStage stage, CancellationToken cancellationToken) =>
        (await ReadDocumentIfChangedAsync(relativePath, cap, stage, null, cancellationToken).ConfigureAwait(false)).Bytes!;

    public async Task<FeedDocument> ReadDocumentIfChangedAsync(string relativePath, long cap, UpdateStage stage, string? etag, CancellationToken cancellationToken)
    {
        return await RetryBodyAsync(
            relativePath,
            stage,
            async token =>
            {
                using var response = await SendAsync(relativePath, stage, token, etag, document: true).ConfigureAwait(false);
                var validator = HttpValidator.Of(response);
                if (response.StatusCode == HttpStatusCode.NotModified)
                {
                    return new FeedDocument(null, validator ?? etag);
                }

                return new FeedDocument(await DocumentBody.ReadAsync(response, relativePath, cap, stage, _stallTimeout, _timeProvider, token).ConfigureAwait(false), validator);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<bool> CopyBlobAsync(string relativePath, long size, BlobDestination destination, CancellationToken cancellationToken)
    {
        var source = new Uri(_baseUri, relativePath).AbsoluteUri;
        return await RetryBodyAsync(
            relativePath,
            UpdateStage.Payload,
            async token =>
            {
                // Every try, the first of a run or a retry after a body cut short, continues what the file
                // holds when it came from this URL under a validator, hashed again from its start.
                var offset = destination.Prepare(source, size, token);
                if (offset == size)
                {
                    return true;
                }

                var condition = offset > 0 ? BlobResume.Condition(destination.Validator) : null;
                if (offset > 0 && condition is null)
                {
                    destination.Restart();
                    offset = 0;
                }

                using var response = await SendAsync(relativePath, UpdateStage.Payload, token, prepare: condition is null ? null : request => BlobResume.AskFrom(request, offset, condition)).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
                {
                    // The server cannot continue at this offset: the caller starts over from byte 0.
                    return false;
                }

                if (response.StatusCode == HttpStatusCode.PartialContent)
                {
                    // Only the exact rest of the same blob is appended; anything else starts over from byte 0.
                    if (!BlobResume.ContinuesAt(response, offset, size))
                    {
                        return false;
                    }
                }
                else if (offset > 0)
                {
                    // 200: the server ignored Range, or the blob changed: the whole body, from byte 0, in this same request.
                    destination.Restart();
                    offset = 0;
                }

                if (offset == 0)
                {
                    destination.Started(source, BlobResume.ValidatorOf(response));
                }

                if (response.Content.Headers.ContentLength is { } length && length != size - offset)
                {
                    return false;
                }

                using var body = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
                var (copied, overflow) = await StreamCopier.CopyAsync(body, destination.Stream, size - offset, destination.Hash, _stallTimeout, _timeProvider, token).ConfigureAwait(false);
                return !overflow && copied == size - offset;
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Over HTTP a download continues with <c>Range</c> and <c>If-Range</c>.</summary>
    public bool CanResume => true;

    public void Dispose() => _client.Dispose();

    private async Task<T> RetryBodyAsync<T>(string relativePath, UpdateStage stage, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        try
        {
            return await _bodyRetry.ExecuteAsync(action, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpIOException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw Error.Transport(stage, $"Reading '{relativePath}' from the feed failed after retries: {ex.Message}", ex);
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string relativePath, UpdateStage stage, CancellationToken cancellationToken, string? etag = null, bool document = false, Action<HttpRequestMessage>? prepare = null)
    {
        var uri = new Uri(_baseUri, relativePath);
        for (var hop = 0; ; hop++)
        {
            var response = await SendOnceAsync(uri, relativePath, stage, etag, document, prepare, cancellationToken).ConfigureAwait(false);
            if (!IsRedirect(response.StatusCode))
            {
                return CheckStatus(response, relativePath, stage, etag, ranged: prepare is not null);
            }

            var location = response.Headers.Location;
            response.Dispose();
            if (location is null)
            {
                throw Error.Transport(stage, $"The feed redirected '{Printable.Of(relativePath)}' without saying where to.");
            }

            if (hop == MaxRedirects)
            {
                throw Error.TooManyRedirects(stage, relativePath, MaxRedirects);
            }

            var next = location.IsAbsoluteUri ? location : new Uri(uri, location);
            CheckHop(uri, next, relativePath, stage);
            uri = next;
        }
    }

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    /// <summary>Refuses a hop before anything connects to it.</summary>
    private void CheckHop(Uri from, Uri to, string relativePath, UpdateStage stage)
    {
        var reason =
            to.Scheme != Uri.UriSchemeHttp && to.Scheme != Uri.UriSchemeHttps ? "only http:// and https:// redirects are followed"
            : !string.IsNullOrEmpty(to.UserInfo) ? "a redirect must not carry credentials"
            : from.Scheme == Uri.UriSchemeHttps && to.Scheme == Uri.UriSchemeHttp ? "a redirect from https:// to plain http:// is never followed"
            : !FeedHosts.PlainHttpAllowed(to, _options) ? "plain http:// is allowed only to loopback hosts"
            : null;
        if (reason is not null)
        {
            throw Error.RedirectRefused(stage, relativePath, to.OriginalString, reason);
        }
    }

    private async Task<HttpResponseMessage> SendOnceAsync(Uri uri, string relativePath, UpdateStage stage, string? etag, bool document, Action<HttpRequestMessage>? prepare, CancellationToken cancellationToken)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            HttpValidator.AddTo(request, etag);
            if (document)
            {
                // Documents only: a blob is exact bytes (and byte ranges of them), never re-encoded in transit.
                request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
            }

            prepare?.Invoke(request);

            return await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw Error.Transport(stage, $"Cannot reach the feed for '{relativePath}': {ex.Message}", ex);
        }
        catch (Polly.Timeout.TimeoutRejectedException ex)
        {
            throw Error.Transport(stage, $"The feed did not answer for '{relativePath}' in time, after retries.", ex);
        }
    }

    private static HttpResponseMessage CheckStatus(HttpResponseMessage response, string relativePath, UpdateStage stage, string? etag, bool ranged)
    {
        if (!response.IsSuccessStatusCode && !(etag is not null && response.StatusCode == HttpStatusCode.NotModified)
            && !(ranged && response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable))
        {
            var status = response.StatusCode;
            response.Dispose();
            throw status == HttpStatusCode.NotFound
                ? Error.FeedFileMissing(stage, relativePath, $"The feed answered '{relativePath}' with not found.")
                : Error.Transport(stage, $"The feed answered '{relativePath}' with HTTP {(int)status}.");
        }

        return response;
    }
}
