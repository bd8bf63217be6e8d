using ActorTrading.Core.Market;
using Akka.Actor;

namespace ActorTrading.Runtime.Bus;

/// <summary>
/// Topic publish/subscribe for market data and feed events. Publishers never know who listens; the local
/// implementation can be replaced by a DistributedPubSub one in a cluster without touching them.
/// </summary>
public interface IMarketDataBus
{
    void Publish(DataMessage message);

    /// <summary>Publishes a non-<see cref="DataMessage"/> event (book health, feed state) on an explicit topic.</summary>
    void Publish(in MarketDataTopic topic, object message);

    /// <summary>Delivers every later message whose topic matches <paramref name="filter"/> to <paramref name="subscriber"/>.</summary>
    void Subscribe(IActorRef subscriber, TopicFilter filter);

    /// <summary>Removes one subscription, or all of the subscriber's when <paramref name="filter"/> is null.</summary>
    void Unsubscribe(IActorRef subscriber, TopicFilter? filter = null);
}
