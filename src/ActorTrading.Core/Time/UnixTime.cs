namespace ActorTrading.Core.Time;

/// <summary>
/// Normalizes venue timestamps to Unix milliseconds (UTC). Venues mix units: KuCoin sends
/// nanoseconds in tickers and trades, milliseconds in book pushes and seconds in candles.
/// </summary>
public static class UnixTime
{
    public static long FromNanoseconds(long ns) => ns / 1_000_000;

    public static long FromMicroseconds(long us) => us / 1_000;

    public static long FromSeconds(long s) => s * 1_000;

    public static DateTimeOffset ToDateTimeOffset(long unixMs) => DateTimeOffset.FromUnixTimeMilliseconds(unixMs);

    public static long Now(TimeProvider clock) => clock.GetUtcNow().ToUnixTimeMilliseconds();
}
