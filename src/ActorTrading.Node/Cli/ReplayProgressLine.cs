using System.Globalization;
using ActorTrading.Runtime.Replay;

namespace ActorTrading.Node.Cli;

/// <summary>
/// A replay's progress for people: <c>replay: 1200/2452 frames (49 %), 8300 frames/s</c>, rewritten in place in a
/// terminal, one line per report anywhere else.
/// </summary>
public sealed class ReplayProgressLine(TextWriter output) : IProgress<ReplayProgress>
{
    private readonly bool _terminal = output == Console.Out && !Console.IsOutputRedirected;

    public void Report(ReplayProgress value)
    {
        var share = value.TotalFrames == 0 ? 100 : 100 * value.Frames / value.TotalFrames;
        var line = string.Create(CultureInfo.InvariantCulture, $"replay: {value.Frames}/{value.TotalFrames} frames ({share} %), {value.FramesPerSecond:0} frames/s");
        if (_terminal)
        {
            output.Write("\r" + line + (value.Frames == value.TotalFrames ? "\n" : string.Empty));
        }
        else
        {
            output.WriteLine(line);
        }
    }
}
