using System.Collections.Concurrent;
using ActorTrading.Core;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Market;
using Akka.Actor;
using Akka.Cluster;
using Akka.Cluster.Tools.PublishSubscribe;
using Akka.Event;

namespace ActorTrading.Runtime.Bus;

/// <summary>
/// The bus of a cluster member: every message reaches this node's subscribers as on the local bus, and what strategies
/// consume (trades, tickers, book tops and health, candles, funding, statistics, other strategies' signals: <see cref="Crosses"/>) also
/// reaches subscribers on other nodes through DistributedPubSub, on exact topics (<c>kucoin.futures/trades/XBTUSDTM</c>).
/// Raw book deltas stay with their book, account data with the venue's node. A wildcard subscription stands for the
/// exact topics it matches among the configured venues' symbols (<see cref="Universe"/>). While the node is
/// alone, nothing goes to the mediator: a cluster of one pays no more than the local bus.
/// </summary>
public sealed class ClusterMarketDataBus : IMarketDataBus
{
    private readonly LocalMarketDataBus _local;
    private readonly IActorRef _mediator;
    private readonly IActorRef _bridge;
    private readonly ConcurrentDictionary<MarketDataTopic, string> _topicNames = new();
    private volatile int _otherMembers;

    public ClusterMarketDataBus(ActorSystem system, IReadOnlyCollection<MarketDataTopic> topicUniverse, string name = "market-data-bus")
    {
        _local = new LocalMarketDataBus(system, name);
        _mediator = DistributedPubSub.Get(system).Mediator;
        _bridge = system.ActorOf(Props.Create(() => new Bridge(this, topicUniverse.Where(t => Crosses(t.Channel)).ToArray())), name + "-bridge");
    }

    /// <summary>Channels whose messages cross nodes; every other one stays on the node that publishes it.</summary>
    public static bool Crosses(DataChannel channel) => channel is DataChannel.Trades or DataChannel.Ticker or DataChannel.Book or DataChannel.Candles
        or DataChannel.Funding or DataChannel.Statistics or DataChannel.BestQuote or DataChannel.MarkPrice or DataChannel.IndexPrice or DataChannel.Signals;

    /// <summary>The exact topics strategies may ask for: every crossing channel of every configured venue+market and symbol.</summary>
    public static IReadOnlyCollection<MarketDataTopic> Universe(IEnumerable<(VenueId Venue, MarketKind Market, Symbol Symbol)> symbols) =>
        symbols.Distinct()
            .SelectMany(s => Enum.GetValues<DataChannel>().Where(Crosses).Select(c => new MarketDataTopic(s.Venue, s.Market, c, s.Symbol)))
            .ToArray();

    public void Publish(DataMessage message) => Publish(MarketDataTopic.Of(message), message);

    public void Publish(in MarketDataTopic topic, object message)
    {
        _local.Publish(topic, message);
        if (_otherMembers > 0 && Crosses(topic.Channel) && message is ICrossesNodes)
        {
            // Sent as the bridge: the bridges of other nodes take it; this node's own bridge drops it (already delivered).
            _mediator.Tell(new Publish(_topicNames.GetOrAdd(topic, static t => t.ToString()), message), _bridge);
        }
    }

    public void Subscribe(IActorRef subscriber, TopicFilter filter)
    {
        _local.Subscribe(subscriber, filter);
        _bridge.Tell(new Bridge.Interest(subscriber, filter));
    }

    public void Unsubscribe(IActorRef subscriber, TopicFilter? filter = null)
    {
        _local.Unsubscribe(subscriber, filter);
        _bridge.Tell(new Bridge.NoInterest(subscriber, filter));
    }

    /// <summary>
    /// This node's presence in the mediator: subscribed to the exact topics its local subscribers want, it hands what
    /// other nodes publish to the local bus. It also counts the other members, so a node alone skips the mediator.
    /// </summary>
    private sealed class Bridge : ReceiveActor
    {
        private readonly ILoggingAdapter _log = Context.GetLogger();
        private readonly ClusterMarketDataBus _bus;
        private readonly MarketDataTopic[] _universe;
        private readonly Dictionary<IActorRef, HashSet<TopicFilter>> _interests = new();
        private readonly HashSet<string> _subscribed = [];
        private readonly HashSet<Address> _others = [];

        public Bridge(ClusterMarketDataBus bus, MarketDataTopic[] universe)
        {
            _bus = bus;
            _universe = universe;
            var mediator = DistributedPubSub.Get(Context.System).Mediator;
            var self = Akka.Cluster.Cluster.Get(Context.System).SelfAddress;

            Receive<Interest>(i =>
            {
                if (!_interests.TryGetValue(i.Subscriber, out var filters))
                {
                    _interests[i.Subscriber] = filters = [];
                    Context.Watch(i.Subscriber);
                }

                filters.Add(i.Filter);
                Resubscribe(mediator);
            });
            Receive<NoInterest>(n =>
            {
                if (_interests.TryGetValue(n.Subscriber, out var filters) && (n.Filter is null || (filters.Remove(n.Filter) && filters.Count == 0)))
                {
                    _interests.Remove(n.Subscriber);
                    Context.Unwatch(n.Subscriber);
                }

                Resubscribe(mediator);
            });
            Receive<Terminated>(t =>
            {
                if (_interests.Remove(t.ActorRef))
                {
                    Resubscribe(mediator);
                }
            });
            Receive<SubscribeAck>(_ => { });
            Receive<UnsubscribeAck>(_ => { });
            Receive<ClusterEvent.MemberUp>(up => Count(up.Member, self, present: true));
            Receive<ClusterEvent.MemberRemoved>(removed => Count(removed.Member, self, present: false));
            Receive<ClusterEvent.CurrentClusterState>(state =>
            {
                foreach (var member in state.Members.Where(m => m.Status == MemberStatus.Up))
                {
                    Count(member, self, present: true);
                }
            });
            Receive<ClusterEvent.IMemberEvent>(_ => { });
            ReceiveAny(message =>
            {
                // Published by another node; this node's own publications (sent as this bridge) were delivered locally.
                if (Sender.Equals(Self))
                {
                    return;
                }

                if (TopicOf(message) is { } topic)
                {
                    _bus._local.Publish(topic, message);
                }
                else
                {
                    _log.Warning("{Message} from {Sender} has no market-data topic: dropped", message.GetType().Name, Sender);
                }
            });
        }

        protected override void PreStart() =>
            Akka.Cluster.Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent));

        protected override void PostStop() => Akka.Cluster.Cluster.Get(Context.System).Unsubscribe(Self);

        private void Count(Member member, Address self, bool present)
        {
            if (member.Address == self)
            {
                return;
            }

            if (present)
            {
                _others.Add(member.Address);
            }
            else
            {
                _others.Remove(member.Address);
            }

            _bus._otherMembers = _others.Count;
        }

        /// <summary>Brings the mediator subscriptions in line with what local subscribers want now.</summary>
        private void Resubscribe(IActorRef mediator)
        {
            var wanted = _universe
                .Where(topic => _interests.Values.Any(filters => filters.Any(f => f.Matches(topic))))
                .Select(topic => topic.ToString())
                .ToHashSet();
            foreach (var name in _subscribed.Except(wanted).ToArray())
            {
                mediator.Tell(new Unsubscribe(name, Self));
                _subscribed.Remove(name);
            }

            foreach (var name in wanted.Where(_subscribed.Add))
            {
                mediator.Tell(new Subscribe(name, Self));
            }
        }

        public sealed record Interest(IActorRef Subscriber, TopicFilter Filter);

        public sealed record NoInterest(IActorRef Subscriber, TopicFilter? Filter);

        /// <summary>Where a message from another node is published here: the topic it was published on there.</summary>
        private static MarketDataTopic? TopicOf(object message) => message switch
        {
            DataMessage data => MarketDataTopic.Of(data),
            BookTop top => new MarketDataTopic(top.Venue, top.Market, DataChannel.Book, top.Symbol),
            BookHealthChanged health => new MarketDataTopic(health.Venue, health.Market, DataChannel.Book, health.Symbol),
            _ => null,
        };
    }
}
