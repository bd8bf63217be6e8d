using System.Runtime.InteropServices;

namespace ActorTrading.Node.Cli;

/// <summary>
/// Ctrl+C and SIGTERM for the whole process, caught from the first line of <c>Main</c>: they cancel
/// <see cref="Token"/>, and a command still running <see cref="Grace"/> later is ended with the signal's exit code.
/// System.CommandLine's own handler is installed only once a command's synchronous start returns, and a signal before
/// that took the runtime's default way out, which ran the actor system's shutdown under its own starters.
/// </summary>
public sealed class Interruption : IDisposable
{
    public static readonly TimeSpan Grace = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _signalled = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private int _exitCode;

    public Interruption()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Signalled);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Signalled);
    }

    public CancellationToken Token => _signalled.Token;

    /// <summary>Runs <paramref name="command"/>; once signalled, waits <see cref="Grace"/> for it, then returns 130 (SIGINT) or 143 (SIGTERM).</summary>
    public async Task<int> RunAsync(Func<CancellationToken, Task<int>> command)
    {
        var running = command(Token);
        var ended = await Task.WhenAny(running, ForcedAsync()).ConfigureAwait(false);
        return await ended.ConfigureAwait(false);
    }

    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _signalled.Dispose();
    }

    private async Task<int> ForcedAsync()
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        await Task.Delay(Grace).ConfigureAwait(false);
        return Volatile.Read(ref _exitCode);
    }

    private void Signalled(PosixSignalContext context)
    {
        context.Cancel = true;   // the command stops itself: the node shuts down in order and prints its summary
        Interlocked.CompareExchange(ref _exitCode, context.Signal == PosixSignal.SIGTERM ? 143 : 130, 0);
        _signalled.Cancel();
    }
}
