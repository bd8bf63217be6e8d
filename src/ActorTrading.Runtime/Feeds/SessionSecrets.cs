using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;

namespace ActorTrading.Runtime.Feeds;

/// <summary>
/// What one socket session sent that is secret: its URL's token, key or signature and the signed answers to the
/// server's challenges. Every control, error and reason the session brings back is scrubbed of them before it is
/// logged or published (a server that echoes what it was sent must not leak it through us). Owned by one actor.
/// </summary>
internal sealed class SessionSecrets
{
    private readonly List<string> _values = [];

    /// <summary>A new session: its endpoint's secrets replace the last one's.</summary>
    public void Begin(FeedEndpoint endpoint)
    {
        _values.Clear();
        _values.AddRange(endpoint.Secrets);
    }

    public void Add(string sent) => _values.Add(sent);

    /// <summary>A challenge stays exact (it is signed as sent); everything else loses any secret in its detail.</summary>
    public ControlEvent Scrub(ControlEvent control) =>
        control.Kind == ControlKind.Challenge || control.Detail is null ? control : control with { Detail = Secrets.Scrub(control.Detail, _values) };

    public ExchangeError Scrub(ExchangeError error) => Secrets.Scrub(error, _values);

    public string Scrub(string text) => Secrets.Scrub(text, _values);
}
