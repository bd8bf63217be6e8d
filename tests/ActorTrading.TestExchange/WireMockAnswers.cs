using WireMock;

namespace ActorTrading.TestExchange;

/// <summary>Answers the fakes build in WireMock callbacks.</summary>
internal static class WireMockAnswers
{
    /// <summary>A JSON body with its status.</summary>
    public static ResponseMessage Json(int status, string body) => new()
    {
        StatusCode = status,
        BodyData = new WireMock.Util.BodyData { BodyAsString = body, DetectedBodyType = WireMock.Types.BodyType.String },
        Headers = new Dictionary<string, WireMock.Types.WireMockList<string>> { ["Content-Type"] = new("application/json") },
    };
}
