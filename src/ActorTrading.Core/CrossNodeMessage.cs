namespace ActorTrading.Core;

/// <summary>
/// A message that may cross from one cluster node to another (market data to a strategy elsewhere, order commands to
/// a venue's singleton, their answers). Every such type is bound to the runtime's System.Text.Json wire serializer
/// with a versioned manifest; a type the serializer does not list fails loudly instead of falling back to another.
/// </summary>
public interface ICrossNodeMessage : ICrossesNodes;

/// <summary>
/// Has a cross-node serializer, in whichever assembly defines the type (<see cref="ICrossNodeMessage"/> here, the
/// strategies' and the order side's own markers there): what the cluster's bus lets cross to other nodes.
/// </summary>
public interface ICrossesNodes;
