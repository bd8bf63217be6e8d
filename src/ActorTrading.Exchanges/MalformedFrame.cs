using System.Text.Json;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Json;

namespace ActorTrading.Exchanges;

/// <summary>How every venue's parser reports a frame it cannot read: one <see cref="ProtocolError"/> quoting the frame, never an exception out of <c>Parse</c>.</summary>
internal static class MalformedFrame
{
    /// <summary>What a reader throws at a frame of the wrong shape: a missing or wrong field, broken JSON, a token of another type.</summary>
    public static bool Is(Exception e) => e is FrameFormatException or JsonException or InvalidOperationException;

    public static ProtocolError Error(Exception e, ReadOnlySpan<byte> frame) => e switch
    {
        JsonException => ProtocolError.From("malformed JSON: " + e.Message, frame),
        InvalidOperationException => ProtocolError.From("unexpected JSON token: " + e.Message, frame),
        _ => ProtocolError.From(e.Message, frame),
    };
}
