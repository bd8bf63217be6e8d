using System.Collections.Concurrent;
using System.Collections.Immutable;
using ActorTrading.Core.Market;
using Akka.Actor;

namespace ActorTrading.Runtime.Bus;

/// <summary>
/// In-process bus. Publishing is lock-free: the subscriber list of each concrete topic is computed once and
/// cached until the subscriptions change, so a publish is one dictionary lookup and one Tell per subscriber.
/// A small watcher actor removes subscribers that terminate.
/// </summary>
public sealed class LocalMarketDataBus : IMarketDataBus
{
    private readonly object _gate = new();
    private readonly IActorRef _watcher;
    private ImmutableList<(IActorRef Subscriber, TopicFilter Filter)> _subscriptions = ImmutableList<(IActorRef, TopicFilter)>.Empty;
    private ConcurrentDictionary<MarketDataTopic, IActorRef[]> _routes = new();

    public LocalMarketDataBus(ActorSystem system, string name = "market-data-bus")
    {
        _watcher = system.ActorOf(Props.Create(() => new SubscriberWatcher(this)), name);
    }

    public void Publish(DataMessage message) => Publish(MarketDataTopic.Of(message), message);

    public void Publish(in MarketDataTopic topic, object message)
    {
        var routes = _routes;
        if (!routes.TryGetValue(topic, out var subscribers))
        {
            subscribers = Resolve(topic);
            routes.TryAdd(topic, subscribers);
        }

        foreach (var subscriber in subscribers)
        {
            subscriber.Tell(message, ActorRefs.NoSender);
        }
    }

    public void Subscribe(IActorRef subscriber, TopicFilter filter)
    {
        lock (_gate)
        {
            if (_subscriptions.Contains((subscriber, filter)))
            {
                return;
            }

            _subscriptions = _subscriptions.Add((subscriber, filter));
            _routes = new ConcurrentDictionary<MarketDataTopic, IActorRef[]>();
        }

        _watcher.Tell(new SubscriberWatcher.Watch(subscriber));
    }

    public void Unsubscribe(IActorRef subscriber, TopicFilter? filter = null)
    {
        lock (_gate)
        {
            _subscriptions = _subscriptions.RemoveAll(s => s.Subscriber.Equals(subscriber) && (filter is null || s.Filter == filter));
            _routes = new ConcurrentDictionary<MarketDataTopic, IActorRef[]>();
        }
    }

    private IActorRef[] Resolve(MarketDataTopic topic) =>
        _subscriptions.Where(s => s.Filter.Matches(topic)).Select(s => s.Subscriber).Distinct().ToArray();

    /// <summary>Watches subscribers so the bus forgets them when they stop.</summary>
    private sealed class SubscriberWatcher : ReceiveActor
    {
        public SubscriberWatcher(LocalMarketDataBus bus)
        {
            Receive<Watch>(w => Context.Watch(w.Subscriber));
            Receive<Terminated>(t => bus.Unsubscribe(t.ActorRef));
        }

        public sealed record Watch(IActorRef Subscriber);
    }
}
