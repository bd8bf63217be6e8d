using BenchmarkDotNet.Running;

namespace ActorTrading.Benchmarks;

public static class Program
{
    /// <summary>Runs the suites; pass BenchmarkDotNet arguments, e.g. <c>--filter * --job short</c>.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
