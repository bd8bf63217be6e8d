using System.Text.Json;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Json;
using ActorTrading.Core.Market;

namespace ActorTrading.Exchanges;

/// <summary>
/// A parser whose output reaches the sink only once the whole frame has parsed: what it reads is collected
/// (<see cref="Emit"/>, <see cref="Reply"/>) and any state it keeps across frames moves in <see cref="Commit"/>; a frame
/// of the wrong shape is one <see cref="Core.Errors.ProtocolError"/> and changes nothing.
/// </summary>
public abstract class WholeFrameParser : IFrameParser
{
    private readonly List<DataMessage> _pending = new(4);
    private ControlEvent? _control;

    public void Parse(ReadOnlySpan<byte> frame, long receivedTs, IFrameSink sink)
    {
        _pending.Clear();
        _control = null;
        try
        {
            Read(frame, receivedTs);
        }
        catch (Exception e) when (MalformedFrame.Is(e))
        {
            Discard();
            sink.OnError(MalformedFrame.Error(e, frame));
            return;
        }

        Commit();
        foreach (var message in _pending)
        {
            sink.OnData(message);
        }

        if (_control is { } control)
        {
            sink.OnControl(control);
        }
    }

    /// <summary>Reads one frame: throws <see cref="FrameFormatException"/> (or the reader's exceptions) at anything wrong.</summary>
    protected abstract void Read(ReadOnlySpan<byte> frame, long receivedTs);

    /// <summary>The frame parsed whole: move the state its reading prepared.</summary>
    protected virtual void Commit()
    {
    }

    /// <summary>The frame did not parse: forget the state its reading prepared.</summary>
    protected virtual void Discard()
    {
    }

    /// <summary>A message of the frame, delivered once the frame has parsed whole.</summary>
    protected void Emit(DataMessage message) => _pending.Add(message);

    /// <summary>The frame's control event (an ack, a pong, a refusal), delivered after its messages.</summary>
    protected void Reply(ControlEvent control) => _control = control;

    /// <summary>A reader on the frame, past its opening <c>{</c>; an empty frame or one that is not an object is refused.</summary>
    protected static Utf8JsonReader OpenObject(ReadOnlySpan<byte> frame)
    {
        if (frame.IsEmpty)
        {
            throw new FrameFormatException("empty frame");
        }

        var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 16 });
        JsonReading.Next(ref reader);
        JsonReading.Expect(ref reader, JsonTokenType.StartObject, "frame");
        return reader;
    }
}
