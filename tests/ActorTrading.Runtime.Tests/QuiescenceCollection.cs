using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>
/// Specs that wait for a replay's quiescence run alone: quiet includes an empty thread-pool queue, which the other
/// specs of this process, running in parallel, rarely leave empty on a busy machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuiescenceCollection
{
    public const string Name = "quiescence";
}
