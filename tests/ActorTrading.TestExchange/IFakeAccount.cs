namespace ActorTrading.TestExchange;

/// <summary>
/// What a soak asks of a fake venue's account: its orders as the venue knows them (the truth a node's journal is checked
/// against) and fills it makes, pushed on the private stream some number of times (0: the push lost, 2: sent twice).
/// </summary>
public interface IFakeAccount
{
    /// <summary>Every order the venue took, as it stands now.</summary>
    IReadOnlyList<FakeOrder> Orders { get; }

    /// <summary>
    /// Fills <paramref name="size"/> of the order at <paramref name="price"/> as trade <paramref name="tradeId"/> (digits:
    /// every venue takes it); false, and nothing done, when the order is no longer open (canceled or filled meanwhile).
    /// </summary>
    Task<bool> FillAsync(string clientOrderId, decimal size, decimal price, string tradeId, int pushes);
}

/// <summary>An order as a fake venue knows it.</summary>
/// <param name="ClientOrderId">The node's id for it.</param>
/// <param name="Symbol">As the venue names the market.</param>
/// <param name="Quantity">What the order asked for.</param>
/// <param name="Price">Its limit (null: a market order).</param>
/// <param name="Executed">How much of it has filled.</param>
/// <param name="Open">Still working (new or partly filled); otherwise canceled or filled.</param>
/// <param name="Fills">Its trades: id and size, in the order they happened.</param>
public sealed record FakeOrder(string ClientOrderId, string Symbol, decimal Quantity, decimal? Price, decimal Executed, bool Open, IReadOnlyList<(string TradeId, decimal Size)> Fills);
