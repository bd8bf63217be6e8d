using ActorTrading.Core;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;
using ActorTrading.Core.Orders;
using ActorTrading.Runtime.Feeds;
using Akka.Actor;
using Akka.Event;

namespace ActorTrading.Runtime.Venues;

public static class InstrumentCatalogProtocol
{
    /// <summary>
    /// The sender hears the venue's instruments now (when known) and after every refresh: <see cref="Instruments"/>,
    /// or <see cref="Unavailable"/> while none could be loaded yet.
    /// </summary>
    public sealed class Subscribe : ICrossNodeMessage
    {
        public static readonly Subscribe Instance = new();

        private Subscribe()
        {
        }
    }

    /// <summary>What a subscriber hears: <see cref="Instruments"/> or <see cref="Unavailable"/>.</summary>
    public interface IAnswer : ICrossNodeMessage;

    /// <summary>Every instrument of the venue+market by symbol, as loaded at <see cref="LoadedAt"/> (Unix ms).</summary>
    public sealed record Instruments(VenueId Venue, MarketKind Market, IReadOnlyDictionary<Symbol, InstrumentSpec> BySymbol, long LoadedAt) : IAnswer;

    /// <summary>No instrument list could be loaded yet (the catalog keeps trying); <see cref="Error"/> says why.</summary>
    public sealed record Unavailable(VenueId Venue, MarketKind Market, ExchangeError Error) : IAnswer;
}

/// <summary>Settings of an <see cref="InstrumentCatalog"/>: how often the list is reloaded, and the retry delays after a failed load.</summary>
public sealed record InstrumentCatalogSettings
{
    /// <summary>Reload period; null: loaded once (a replay reads the list its capture holds).</summary>
    public TimeSpan? Refresh { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan RetryMin { get; init; } = TimeSpan.FromSeconds(2);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// A venue+market's instruments and their trading rules: loaded from the venue's REST at start, reloaded every
/// <see cref="InstrumentCatalogSettings.Refresh"/>, retried with backoff after a failure (a refresh that fails keeps the
/// last list). Order entry checks orders against it before sending; paper venues size fees by its contract sizes.
/// </summary>
public sealed class InstrumentCatalog : ReceiveActor, IWithTimers
{
    private const string LoadTimer = "load";
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<IActorRef> _subscribers = [];
    private readonly VenueId _venue;
    private readonly MarketKind _market;
    private readonly IInstrumentAdapter _adapter;
    private readonly IRestExecutor _rest;
    private readonly TimeProvider _clock;
    private readonly InstrumentCatalogSettings _settings;
    private readonly ReconnectBackoff _retry;
    private object? _current;

    public InstrumentCatalog(VenueId venue, MarketKind market, IInstrumentAdapter adapter, IRestExecutor rest, TimeProvider clock, InstrumentCatalogSettings settings)
    {
        (_venue, _market, _adapter, _rest, _clock, _settings) = (venue, market, adapter, rest, clock, settings);
        _retry = new ReconnectBackoff(settings.RetryMin, settings.RetryMax, 0.1);

        Receive<InstrumentCatalogProtocol.Subscribe>(_ =>
        {
            if (_subscribers.Add(Sender))
            {
                Context.Watch(Sender);
            }

            if (_current is not null)
            {
                Sender.Tell(_current);
            }
        });
        Receive<Terminated>(t => _subscribers.Remove(t.ActorRef));
        Receive<Load>(_ => LoadAsync().PipeTo(Self));
        Receive<Loaded>(OnLoaded);
        Receive<LoadFailed>(OnLoadFailed);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(VenueId venue, MarketKind market, IInstrumentAdapter adapter, IRestExecutor rest, TimeProvider clock, InstrumentCatalogSettings? settings = null) =>
        Akka.Actor.Props.Create(() => new InstrumentCatalog(venue, market, adapter, rest, clock, settings ?? new InstrumentCatalogSettings()));

    protected override void PreStart() => Self.Tell(Load.Instance);

    private async Task<object> LoadAsync()
    {
        try
        {
            var data = await _rest.SendAsync(_adapter.Request, CancellationToken.None).ConfigureAwait(false);
            return new Loaded(_adapter.Read(data));
        }
        catch (ExchangeException e)
        {
            return new LoadFailed(e.Error);
        }
        catch (Exception e) when (e is FrameFormatException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            return new LoadFailed(new ProtocolError($"{_adapter.Request.Path}: {e.Message}", string.Empty));
        }
    }

    private void OnLoaded(Loaded loaded)
    {
        // A venue that lists a symbol twice (it never should) keeps the last: the list is still usable.
        var bySymbol = new Dictionary<Symbol, InstrumentSpec>();
        foreach (var spec in loaded.Specs)
        {
            bySymbol[spec.Symbol] = spec;
        }

        _log.Info("{Venue} {Market}: {Count} instruments loaded", _venue, _market.ToWire(), bySymbol.Count);
        _retry.Reset();
        Publish(new InstrumentCatalogProtocol.Instruments(_venue, _market, bySymbol, _clock.GetUtcNow().ToUnixTimeMilliseconds()));
        if (_settings.Refresh is { } refresh)
        {
            Timers.StartSingleTimer(LoadTimer, Load.Instance, refresh);
        }
    }

    private void OnLoadFailed(LoadFailed failed)
    {
        var delay = _retry.Next();
        if (_current is InstrumentCatalogProtocol.Instruments)
        {
            _log.Warning("{Venue} {Market}: instrument refresh failed, keeping the last list; again in {Delay}: {Error}", _venue, _market.ToWire(), delay, failed.Error);
        }
        else
        {
            _log.Warning("{Venue} {Market}: instruments not loaded, again in {Delay}: {Error}", _venue, _market.ToWire(), delay, failed.Error);
            Publish(new InstrumentCatalogProtocol.Unavailable(_venue, _market, failed.Error));
        }

        Timers.StartSingleTimer(LoadTimer, Load.Instance, delay);
    }

    private void Publish(object current)
    {
        _current = current;
        foreach (var subscriber in _subscribers)
        {
            subscriber.Tell(current);
        }
    }

    private sealed class Load
    {
        public static readonly Load Instance = new();

        private Load()
        {
        }
    }

    private sealed record Loaded(IReadOnlyList<InstrumentSpec> Specs);

    private sealed record LoadFailed(ExchangeError Error);
}

/// <summary>
/// A venue's rules as an order door keeps them from its catalog's messages: unknown until the first list (or the
/// news that none could be loaded) arrives; then every order is checked against them before it is sent.
/// </summary>
public sealed class InstrumentRules(VenueId venue, MarketKind market)
{
    private IReadOnlyDictionary<Symbol, InstrumentSpec>? _specs;
    private ExchangeError? _missing;

    /// <summary>False until the catalog has answered: placements wait for it.</summary>
    public bool Known => _specs is not null || _missing is not null;

    /// <summary>A new list replaces the rules; news that none could be loaded leaves rules loaded before in force (without any, orders are refused rather than sent unchecked).</summary>
    public void Update(InstrumentCatalogProtocol.IAnswer answer)
    {
        switch (answer)
        {
            case InstrumentCatalogProtocol.Instruments instruments:
                (_specs, _missing) = (instruments.BySymbol, null);
                break;
            case InstrumentCatalogProtocol.Unavailable unavailable:
                _missing = _specs is null ? unavailable.Error : null;
                break;
        }
    }

    /// <summary>The instrument's rules, or null when not known.</summary>
    public InstrumentSpec? Of(Symbol symbol) => _specs?.GetValueOrDefault(symbol);

    /// <summary>Why the venue's rules refuse <paramref name="order"/>; null when they take it.</summary>
    public OrderCheckError? Check(OrderTicket order) =>
        _specs is null ? new OrderCheckError($"{venue} {market.ToWire()} instrument rules are not loaded ({_missing?.Message}): the order is not sent")
        : !_specs.TryGetValue(order.Symbol, out var spec) ? new OrderCheckError($"{order.Symbol} is not an instrument of {venue} {market.ToWire()}")
        : spec.Refusal(order) is { } reason ? new OrderCheckError(reason)
        : null;
}
