namespace ActorTrading.Runtime.Feeds;

/// <summary>Exponential reconnect delays with ±jitter, capped, reset by a stable period. Owned by one actor.</summary>
public sealed class ReconnectBackoff(TimeSpan min, TimeSpan max, double jitter)
{
    private readonly Random _random = new();
    private int _failures;

    public TimeSpan Next()
    {
        var exponent = Math.Min(_failures, 16);
        _failures++;
        var baseMs = Math.Min(max.TotalMilliseconds, min.TotalMilliseconds * Math.Pow(2, exponent));
        var factor = 1 + (((_random.NextDouble() * 2) - 1) * jitter);
        return TimeSpan.FromMilliseconds(Math.Min(max.TotalMilliseconds, baseMs * factor));
    }

    public void Reset() => _failures = 0;
}
