using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Runtime.Telemetry;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace ActorTrading.Runtime.Rest;

public sealed record RestClientOptions
{
    /// <summary>Retries after the first attempt for transient failures (network, timeouts, 5xx, 429).</summary>
    public int MaxRetries { get; init; } = 3;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest 429 wait we honour; a longer reset window fails with <see cref="RateLimitedError"/>.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(60);

    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Clock skew tolerated before signed requests use the venue's time (KuCoin's window is 5 s).</summary>
    public TimeSpan MaxClockSkew { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The venue's name in the node's metrics (<c>kucoin-futures</c>); the REST host when not given.</summary>
    public string? MetricsName { get; init; }
}

/// <summary>A response as seen by the retry pipeline, with the credential-derived values its request carried (to redact).</summary>
internal sealed record RestAttempt(int Status, byte[] Body, Func<string, string?> Header, IReadOnlyList<string> Secrets);

/// <summary>
/// Sends venue REST requests through a Polly 8 pipeline: network errors, timeouts and 5xx of GETs are retried with
/// exponential backoff and jitter (other methods only when the request never left); 429 waits exactly the venue's
/// reset window; other 4xx are not retried.
/// The body is unwrapped by the venue adapter into data or a typed <see cref="ExchangeError"/>.
/// </summary>
public sealed class RestClient : IRestExecutor
{
    private readonly HttpClient _http;
    private readonly IRestAdapter _adapter;
    private readonly RestClientOptions _options;
    private readonly TimeProvider _clock;
    private readonly ResiliencePipeline<RestAttempt> _repeatable;
    private readonly ResiliencePipeline<RestAttempt> _once;
    private long _clockOffsetTicks;

    public RestClient(HttpClient http, IRestAdapter adapter, RestClientOptions? options = null, TimeProvider? clock = null)
    {
        _http = http;
        _adapter = adapter;
        _options = options ?? new RestClientOptions();
        _clock = clock ?? TimeProvider.System;
        _repeatable = BuildPipeline(repeatable: true);
        _once = BuildPipeline(repeatable: false);
    }

    /// <summary>Called with the quota headers of every response (to feed the rate limiter).</summary>
    public event Action<RateLimitObservation>? RateLimitObserved;

    /// <summary>Called when the venue answered 429, with the wait it asked for.</summary>
    public event Action<string, TimeSpan>? Throttled;

    /// <summary>Called when the venue banned our IP, with the ban's length: nothing may be sent until it has passed.</summary>
    public event Action<TimeSpan>? Banned;

    /// <summary>Added to the local clock when signing: the venue's time minus ours, once a skew was found.</summary>
    public TimeSpan ClockOffset => TimeSpan.FromTicks(Interlocked.Read(ref _clockOffsetTicks));

    public async Task<JsonElement> SendAsync(RestRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await SendUnsyncedAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (ExchangeException e) when (request.Signed && _adapter.IsClockSkew(e.Error))
        {
            // The venue says our timestamp is out of its window: measure its clock and try once more.
            await SyncClockAsync(cancellationToken).ConfigureAwait(false);
            return await SendUnsyncedAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Measures the venue's clock against ours (half the round trip compensated). When the skew exceeds
    /// <see cref="RestClientOptions.MaxClockSkew"/>, signed requests use the venue's time from then on.
    /// </summary>
    public async Task<TimeSpan> SyncClockAsync(CancellationToken cancellationToken)
    {
        var before = _clock.GetUtcNow();
        var data = await SendUnsyncedAsync(_adapter.ServerTimeRequest, cancellationToken).ConfigureAwait(false);
        var after = _clock.GetUtcNow();
        var serverMs = _adapter.ParseServerTime(data);
        var localMidMs = (before + ((after - before) / 2)).ToUnixTimeMilliseconds();
        var skew = TimeSpan.FromMilliseconds(serverMs - localMidMs);
        Interlocked.Exchange(ref _clockOffsetTicks, skew.Duration() > _options.MaxClockSkew ? skew.Ticks : 0);
        return skew;
    }

    private async Task<JsonElement> SendUnsyncedAsync(RestRequest request, CancellationToken cancellationToken)
    {
        RestAttempt attempt;
        try
        {
            // A GET may be repeated; a POST/DELETE that may have reached the venue must not be (a second order, a
            // second transfer): it is retried only when the venue refused it (429) or it never left this machine.
            var pipeline = request.Method == HttpMethod.Get ? _repeatable : _once;
            attempt = await pipeline.ExecuteAsync(
                static async (state, ct) => await state.Self.SendOnceAsync(state.Request, ct).ConfigureAwait(false),
                (Self: this, Request: request),
                cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutRejectedException e)
        {
            throw new ExchangeException(new NetworkError($"{request.Method} {request.Path} timed out after {_options.AttemptTimeout.TotalSeconds:0.#} s", IsTimeout: true), e);
        }
        catch (HttpRequestException e)
        {
            throw new ExchangeException(new NetworkError($"{request.Method} {request.Path}: {e.Message}", NeverSent: NeverSent(e)), e);
        }

        if (_adapter.BanDuration(attempt.Status, attempt.Header) is { } ban)
        {
            throw new ExchangeException(BannedFor(ban, request));
        }

        var retryAfter = _adapter.IsThrottled(attempt.Status, attempt.Body) ? _adapter.RetryAfter(attempt.Header) : null;
        var outcome = _adapter.Unwrap(attempt.Status, attempt.Body, retryAfter);
        return outcome.IsSuccess ? outcome.Data : throw new ExchangeException(Secrets.Scrub(outcome.Error!, attempt.Secrets));
    }

    /// <summary>The error every request gets while the venue's ban lasts, this one included.</summary>
    public static IpBannedError BannedFor(TimeSpan ban, RestRequest request) =>
        new($"the venue banned this IP for {ban.TotalSeconds:0} s ({request.Method} {request.Path}): no requests until then", ban);

    /// <summary>Headers whose values are credentials or derived from them, whatever the venue calls them.</summary>
    private static bool IsCredentialHeader(string name) =>
        name.Contains("KEY", StringComparison.OrdinalIgnoreCase) && !name.Contains("VERSION", StringComparison.OrdinalIgnoreCase)
        || name.Contains("SIGN", StringComparison.OrdinalIgnoreCase)
        || name.Contains("PASSPHRASE", StringComparison.OrdinalIgnoreCase)
        || name.Contains("TOKEN", StringComparison.OrdinalIgnoreCase)
        || name.Contains("SECRET", StringComparison.OrdinalIgnoreCase);

    private async ValueTask<RestAttempt> SendOnceAsync(RestRequest request, CancellationToken ct)
    {
        // A request message cannot be sent twice: build it anew for every attempt (and sign with a fresh timestamp).
        var wire = _adapter.Prepare(request, (_clock.GetUtcNow() + ClockOffset).ToUnixTimeMilliseconds());
        using var message = new HttpRequestMessage(request.Method, new Uri(_adapter.BaseUri, wire.PathAndQuery));
        if (wire.Body is not null)
        {
            message.Content = new StringContent(wire.Body, Encoding.UTF8, wire.ContentType);
        }

        var secrets = new List<string>(wire.Secrets);
        foreach (var (name, value) in wire.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
            if (IsCredentialHeader(name))
            {
                secrets.Add(value);
            }
        }

        var venue = new KeyValuePair<string, object?>("venue", _options.MetricsName ?? _adapter.BaseUri.Host);
        var pool = new KeyValuePair<string, object?>("pool", request.Pool);
        var started = Stopwatch.GetTimestamp();
        HttpResponseMessage sent;
        byte[] body;
        try
        {
            sent = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            try
            {
                body = await ReadBodyAsync(sent.Content, _http.MaxResponseContentBufferSize, ct).ConfigureAwait(false);
            }
            catch
            {
                sent.Dispose();
                throw;
            }
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
        {
            NodeTelemetry.RestDuration.Record(NodeTelemetry.SecondsSince(started), venue, pool, new("status", "error"));
            throw;
        }

        using var response = sent;
        NodeTelemetry.RestDuration.Record(NodeTelemetry.SecondsSince(started), venue, pool, new("status", StatusClass((int)response.StatusCode)));
        var headers = response.Headers;
        string? Header(string name) => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

        foreach (var observation in _adapter.ObserveRateLimits(request.Pool, Header))
        {
            RateLimitObserved?.Invoke(observation);
        }

        var status = (int)response.StatusCode;
        if (_adapter.BanDuration(status, Header) is { } ban)
        {
            NodeTelemetry.RestRefusals.Add(1, venue, new("kind", "banned"));
            Banned?.Invoke(ban);
        }
        else if (_adapter.IsThrottled(status, body))
        {
            NodeTelemetry.RestRefusals.Add(1, venue, new("kind", "throttled"));
            Throttled?.Invoke(request.Pool, _adapter.RetryAfter(Header) ?? _options.BaseDelay);
        }

        return new RestAttempt(status, body, Header, secrets);
    }

    /// <summary>
    /// The body read once, into an array of its size: buffered by HttpClient and then copied out, every long answer
    /// (instrument lists, fills) was two arrays on the large-object heap, which only a full collection frees, and the
    /// node's memory grew between them. A body of unknown length is read through pooled buffers, then copied once.
    /// A connection lost while reading is an <see cref="HttpRequestException"/>, as when HttpClient read it.
    /// </summary>
    private static async Task<byte[]> ReadBodyAsync(HttpContent content, long limit, CancellationToken ct)
    {
        try
        {
            await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            if (content.Headers.ContentLength is { } length)
            {
                if (length > limit)
                {
                    throw new HttpRequestException($"response body of {length} bytes is over the {limit}-byte limit");
                }

                var exact = new byte[length];
                await stream.ReadExactlyAsync(exact, ct).ConfigureAwait(false);
                return exact;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            try
            {
                var read = 0;
                int count;
                while ((count = await stream.ReadAsync(buffer.AsMemory(read), ct).ConfigureAwait(false)) > 0)
                {
                    read += count;
                    if (read > limit)
                    {
                        throw new HttpRequestException($"response body is over the {limit}-byte limit");
                    }

                    if (read == buffer.Length)
                    {
                        buffer = PooledBytes.Grow(buffer, read);
                    }
                }

                return buffer.AsSpan(0, read).ToArray();
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
        catch (IOException e)
        {
            throw new HttpRequestException($"response body not read whole: {e.Message}", e);
        }
    }

    private static string StatusClass(int status) => status switch
    {
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };

    private ResiliencePipeline<RestAttempt> BuildPipeline(bool repeatable) =>
        new ResiliencePipelineBuilder<RestAttempt> { TimeProvider = _clock }
            .AddRetry(new RetryStrategyOptions<RestAttempt>
            {
                MaxRetryAttempts = Math.Max(1, _options.MaxRetries),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.BaseDelay,
                MaxDelay = _options.MaxDelay,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome switch
                {
                    { Exception: HttpRequestException e } when NeverSent(e) => true,
                    { Exception: HttpRequestException or TimeoutRejectedException } => repeatable,
                    { Result: { } r } when _adapter.BanDuration(r.Status, r.Header) is not null => false,   // never retry into a ban
                    { Result: { Status: >= 500 } } => repeatable,
                    { Result: { } r } when _adapter.IsThrottled(r.Status, r.Body) => (_adapter.RetryAfter(r.Header) ?? TimeSpan.Zero) <= _options.MaxRetryAfter,
                    _ => false,
                }),

                // 429: wait exactly what the venue asked (Polly does not cap a generated delay: clamp it here).
                DelayGenerator = args => ValueTask.FromResult(
                    args.Outcome.Result is { } r && _adapter.IsThrottled(r.Status, r.Body) && _adapter.RetryAfter(r.Header) is { } wait
                        ? (TimeSpan?)(wait > _options.MaxRetryAfter ? _options.MaxRetryAfter : wait)
                        : null),
            })
            .AddTimeout(_options.AttemptTimeout)
            .Build();

    /// <summary>The connection failed before any byte of the request went out.</summary>
    private static bool NeverSent(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError;
}
