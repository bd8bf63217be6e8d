using ActorTrading.Runtime.Hosting;
using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>An exception in a log line: its type and message and those of its causes, on one line, never a stack trace.</summary>
public sealed class LogTextSpecs
{
    [Fact]
    public void An_exception_is_described_with_its_causes_on_one_line_without_its_stack()
    {
        Exception thrown;
        try
        {
            throw new InvalidOperationException("journal not ready:\nwrite failed", new IOException("disk full\r\n(28)"));
        }
        catch (InvalidOperationException e)
        {
            thrown = e;
        }

        Assert.NotNull(thrown.StackTrace);
        Assert.Equal("InvalidOperationException: journal not ready: write failed ← IOException: disk full (28)", LogText.Describe(thrown));
    }

    [Fact]
    public void A_chain_of_causes_is_cut_at_five()
    {
        Exception chain = new TimeoutException("innermost");
        for (var i = 0; i < 7; i++)
        {
            chain = new InvalidOperationException($"level {i}", chain);
        }

        var parts = LogText.Describe(chain).Split(" ← ");
        Assert.Equal(["InvalidOperationException: level 6", "InvalidOperationException: level 5", "InvalidOperationException: level 4",
            "InvalidOperationException: level 3", "InvalidOperationException: level 2"], parts);
    }
}
