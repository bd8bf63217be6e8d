using ActorTrading.Core.Errors;

namespace ActorTrading.Node.Http;

/// <summary>
/// The node's HTTP endpoint (<c>Http</c> settings): health, the read-only JSON API and Prometheus metrics. Bound to
/// loopback unless told otherwise; with <see cref="TokenVariable"/> set, everything but health asks for that bearer token.
/// </summary>
public sealed class HttpOptions
{
    /// <summary>The variable holding the bearer token (never a settings file: it is a secret).</summary>
    public const string TokenVariable = "ACTORTRADING_HTTP_TOKEN";

    public bool Enabled { get; set; } = true;

    /// <summary>The address to listen on: 127.0.0.1 keeps it on this machine; 0.0.0.0 (with a token) opens it.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>The port; 0 picks a free one. A port already taken (a second node on this machine) falls back to a free one, said on the console.</summary>
    public int Port { get; set; } = 5380;

    /// <summary>How long a feed may be away from Streaming, or a book from Synced, once it was, before the node is not ready.</summary>
    public double ReadyGraceSeconds { get; set; } = 30;

    public HttpOptions Checked()
    {
        if (Port is < 0 or > 65535)
        {
            throw new ExchangeException(new ConfigurationError($"Http:Port = {Port} is not a port (0 picks a free one)"));
        }

        if (!System.Net.IPAddress.TryParse(Address, out var address))
        {
            throw new ExchangeException(new ConfigurationError($"Http:Address = '{Address}' is not an IP address (127.0.0.1 keeps the endpoint on this machine)"));
        }

        try
        {
            // An address this machine does not have fails here, as one line, not at the node's start.
            using var probe = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            probe.Bind(new System.Net.IPEndPoint(address, 0));
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new ExchangeException(new ConfigurationError($"Http:Address = '{Address}' cannot be listened on: {e.Message} (127.0.0.1 keeps the endpoint on this machine)"));
        }

        return ReadyGraceSeconds > 0
            ? this
            : throw new ExchangeException(new ConfigurationError($"Http:ReadyGraceSeconds = {ReadyGraceSeconds} must be above zero"));
    }
}
