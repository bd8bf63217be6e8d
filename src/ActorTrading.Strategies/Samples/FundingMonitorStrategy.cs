using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;

namespace ActorTrading.Strategies.Samples;

/// <summary>
/// Watches funding and basis and places no orders: publishes a <see cref="StrategyProtocol.Signal"/> (and a log line)
/// when a symbol's funding rate reaches <c>RateThreshold</c> (0.0005 per period) in either direction, or its basis,
/// mark against index, reaches <c>BasisBpsThreshold</c> (20 bps); and once more when it is back under. A signal fires
/// on entering or leaving the alert, not on every update.
/// </summary>
public sealed class FundingMonitorStrategy : StrategyActor, IChecksParameters
{
    private readonly decimal _rateThreshold;
    private readonly decimal _basisThreshold;
    private readonly HashSet<(Symbol, string)> _alerting = new();

    public FundingMonitorStrategy(StrategyContext context) : base(context)
    {
        (_rateThreshold, _basisThreshold) = Read(Settings);
    }

    public static void Validate(StrategySettings settings) => Read(settings);

    private static (decimal Rate, decimal BasisBps) Read(StrategySettings s) => (s.Positive("RateThreshold", 0.0005m), s.Positive("BasisBpsThreshold", 20m));

    protected override IReadOnlyCollection<DataChannel> Channels { get; } = [DataChannel.Funding];

    protected override void OnData(DataMessage message)
    {
        if (message is not FundingRate funding)
        {
            return;
        }

        if (funding.Rate is { } rate)
        {
            Watch(funding.Symbol, "funding", Math.Abs(rate) >= _rateThreshold, rate, $"funding rate {rate} (threshold ±{_rateThreshold})");
        }

        if (funding is { MarkPrice: { } mark, IndexPrice: { } index } && index != 0)
        {
            var basis = Math.Round((mark - index) / index * 10_000m, 2);
            Watch(funding.Symbol, "basis", Math.Abs(basis) >= _basisThreshold, basis, $"basis {basis} bps: mark {mark}, index {index} (threshold ±{_basisThreshold} bps)");
        }
    }

    private void Watch(Symbol symbol, string kind, bool alert, decimal value, string message)
    {
        if (alert && _alerting.Add((symbol, kind)))
        {
            Signal(symbol, kind, message, value);
        }
        else if (!alert && _alerting.Remove((symbol, kind)))
        {
            Signal(symbol, kind + "-normal", message, value);
        }
    }
}
