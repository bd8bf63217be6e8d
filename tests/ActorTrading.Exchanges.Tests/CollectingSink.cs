using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges.Tests;

public sealed class CollectingSink : IFrameSink
{
    public List<DataMessage> Data { get; } = [];

    public List<ControlEvent> Controls { get; } = [];

    public List<ExchangeError> Errors { get; } = [];

    public void OnData(DataMessage message) => Data.Add(message);

    public void OnControl(in ControlEvent control) => Controls.Add(control);

    public void OnError(ExchangeError error) => Errors.Add(error);
}
