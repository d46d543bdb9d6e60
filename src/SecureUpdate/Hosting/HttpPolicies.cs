using System.Net;
using Polly;
using Polly.Extensions.Http;
using Polly.Timeout;
using SecureUpdate.Configuration;
using SecureUpdate.Feed;

namespace SecureUpdate.Hosting;

/// <summary>
/// The feed HttpClient's Polly policies: jittered exponential retries for transient failures
/// (connection errors, 5xx, 408, 429, a try that timed out) and a per-try timeout. Signature
/// and policy failures never reach here: they are decided after the bytes have arrived.
/// </summary>
internal static class HttpPolicies
{
    public static IAsyncPolicy<HttpResponseMessage> Retry(SecureUpdateOptions options) =>
        HttpPolicyExtensions
            .HandleTransientHttpError()
            .OrResult(response => response.StatusCode == HttpStatusCode.TooManyRequests)
            .Or<TimeoutRejectedException>()
            .WaitAndRetryAsync(options.RetryCount, attempt => RetryDelays.Backoff(options.RetryBaseDelay, attempt));

    public static IAsyncPolicy<HttpResponseMessage> PerTryTimeout(SecureUpdateOptions options) =>
        Policy.TimeoutAsync<HttpResponseMessage>(options.PerTryTimeout);
}
