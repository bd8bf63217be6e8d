using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>
/// Specs that replay in this process (<c>run --offline</c>, <c>replay</c>) run alone: a replay waits for quiescence,
/// which includes an empty thread-pool queue, and the other specs of this process, running in parallel, rarely leave
/// it empty on a busy machine. (xUnit wants the definition in the test assembly: Runtime.Tests has its own.)
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuiescenceCollection
{
    public const string Name = "quiescence";
}
