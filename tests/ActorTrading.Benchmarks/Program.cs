using BenchmarkDotNet.Running;

namespace ActorTrading.Benchmarks;

public static class Program
{
    /// <summary>
    /// Runs the suites; pass BenchmarkDotNet arguments, e.g. <c>--filter * --job short</c>. <c>pipeline [--rate N]
    /// [--seconds N]</c> runs <see cref="PipelineLatency"/> instead, <c>orders [--rate N] [--seconds N] [--journal sqlite,postgres]
    /// [--report FILE]</c> <see cref="OrderPathLatency"/>.
    /// </summary>
    public static async Task<int> Main(string[] args)
    {
        if (args is ["pipeline", ..])
        {
            return await PipelineLatency.RunAsync(args[1..]);
        }

        if (args is ["orders", ..])
        {
            return await OrderPathLatency.RunAsync(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
