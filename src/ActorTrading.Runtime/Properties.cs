using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("ActorTrading.Runtime.Tests")]
[assembly: InternalsVisibleTo("ActorTrading.Benchmarks")]
