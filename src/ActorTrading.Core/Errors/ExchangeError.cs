using System.Text.Json.Serialization;

namespace ActorTrading.Core.Errors;

/// <summary>
/// Typed failure from a venue or from our handling of its data. Messages never contain credentials:
/// frames are truncated by <see cref="ProtocolError.Excerpt"/> and signed headers are never included.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(ApiError), "api")]
[JsonDerivedType(typeof(RateLimitedError), "rate-limited")]
[JsonDerivedType(typeof(IpBannedError), "banned")]
[JsonDerivedType(typeof(AuthenticationError), "authentication")]
[JsonDerivedType(typeof(NetworkError), "network")]
[JsonDerivedType(typeof(ProtocolError), "protocol")]
[JsonDerivedType(typeof(ConfigurationError), "configuration")]
[JsonDerivedType(typeof(JournalError), "journal")]
[JsonDerivedType(typeof(OrderCheckError), "order-check")]
public abstract record ExchangeError(string Message)
{
    public abstract string Code { get; }

    public sealed override string ToString() => $"{Code}: {Message}";
}

/// <summary>The venue answered with an error code in its envelope.</summary>
public sealed record ApiError(string VenueCode, string Message, int HttpStatus) : ExchangeError(Message)
{
    public override string Code => "api";
}

/// <summary>The venue throttled us; wait <see cref="RetryAfter"/> before the next request.</summary>
public sealed record RateLimitedError(string Message, TimeSpan RetryAfter) : ExchangeError(Message)
{
    public override string Code => "rate-limited";
}

/// <summary>
/// The venue banned this IP for a while (Binance: HTTP 418 with <c>Retry-After</c>): no request goes to it until
/// <see cref="RetryAfter"/> has passed; requests asked for meanwhile fail with this error unsent.
/// </summary>
public sealed record IpBannedError(string Message, TimeSpan RetryAfter) : ExchangeError(Message)
{
    public override string Code => "banned";
}

/// <summary>Credentials or token were refused, or the IP/account is banned. Never retried in a loop.</summary>
public sealed record AuthenticationError(string Message, string? VenueCode = null) : ExchangeError(Message)
{
    public override string Code => "authentication";
}

/// <summary>
/// Connection, DNS, TLS, socket or timeout failure. <c>NeverSent</c>: the connection failed before any byte of the
/// request went out (name resolution, refused, TLS), so the venue certainly never saw it.
/// </summary>
public sealed record NetworkError(string Message, bool IsTimeout = false, bool NeverSent = false) : ExchangeError(Message)
{
    public override string Code => IsTimeout ? "timeout" : "network";
}

/// <summary>A frame or body we could not understand.</summary>
public sealed record ProtocolError(string Message, string Frame) : ExchangeError(Message)
{
    public const int MaxExcerpt = 256;

    public override string Code => "protocol";

    public static ProtocolError From(string message, ReadOnlySpan<byte> frame) => new(message, Excerpt(frame));

    /// <summary>The first bytes of a frame as text, cut to <see cref="MaxExcerpt"/> characters.</summary>
    public static string Excerpt(ReadOnlySpan<byte> frame)
    {
        var slice = frame.Length > MaxExcerpt ? frame[..MaxExcerpt] : frame;
        var text = System.Text.Encoding.UTF8.GetString(slice);
        return frame.Length > MaxExcerpt ? text + "…" : text;
    }
}

/// <summary>Our own configuration is invalid (unknown venue, missing URL, bad symbol).</summary>
public sealed record ConfigurationError(string Message) : ExchangeError(Message)
{
    public override string Code => "configuration";
}

/// <summary>Carries an <see cref="ExchangeError"/> through task and supervision boundaries.</summary>
public sealed class ExchangeException(ExchangeError error, Exception? inner = null)
    : Exception(error.ToString(), inner)
{
    public ExchangeError Error { get; } = error;
}

/// <summary>The order journal refused or failed a write: the command it belonged to was not sent anywhere.</summary>
public sealed record JournalError(string Message) : ExchangeError(Message)
{
    public override string Code => "journal";
}

/// <summary>
/// The node's checks refused an order before sending it: it breaks the instrument's trading rules (tick, lot step,
/// minimum size or notional), names an instrument the venue does not list, or the rules are not known yet.
/// </summary>
public sealed record OrderCheckError(string Message) : ExchangeError(Message)
{
    public override string Code => "order-check";
}
