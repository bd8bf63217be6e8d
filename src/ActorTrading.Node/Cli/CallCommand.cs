using System.Text.Json;
using System.Text.Json.Serialization;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Exchanges.KuCoin;
using ActorTrading.Exchanges.KuCoin.Auth;
using ActorTrading.Exchanges.KuCoin.Rest;
using ActorTrading.Node.Hosting;
using ActorTrading.Runtime.Rest;
using Microsoft.Extensions.Configuration;

namespace ActorTrading.Node.Cli;

/// <summary>Where <c>call</c> reads settings and credentials (the process environment unless a test says otherwise).</summary>
public sealed record CliEnvironment(Func<string, string?> Variable, IReadOnlyDictionary<string, string?> ConfigOverrides)
{
    public static readonly CliEnvironment Process = new(Environment.GetEnvironmentVariable, new Dictionary<string, string?>());
}

/// <summary>
/// <c>actortrading call kucoin &lt;operation&gt;</c>: one typed REST operation, printed as JSON with decimals as strings,
/// or a typed error line and exit code 1. Base URLs come from the configuration (file and <c>ACTORTRADING__</c> variables).
/// </summary>
public static class CallCommand
{
    private static readonly JsonSerializerOptions Output = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new DecimalStringConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static int List(MarketKind? market, TextWriter output)
    {
        foreach (var operation in KuCoinOperations.Every.Where(o => market is null || o.Market == market))
        {
            output.WriteLine($"{operation.Name,-26} {operation.Market.ToWire(),-8} {operation.Description}");
            foreach (var parameter in operation.Parameters)
            {
                output.WriteLine($"    {parameter.Name + (parameter.Required ? " (required)" : string.Empty),-26} {parameter.Description}");
            }
        }

        return 0;
    }

    public static async Task<int> RunAsync(string operationName, MarketKind market, IReadOnlyList<string> parameters, string? configPath,
        CliEnvironment environment, TextWriter output, CancellationToken ct)
    {
        try
        {
            var operation = KuCoinOperations.Find(operationName, market)
                ?? throw new ExchangeException(new ConfigurationError(
                    $"unknown operation '{operationName}' for kucoin {market.ToWire()} (see: actortrading call kucoin --list)"));
            var arguments = OperationArguments.Parse(operation.Name, parameters, operation.Parameters);
            var configuration = NodeHost.LoadConfiguration(configPath, environment.ConfigOverrides);
            var restBase = RestBase(configuration, market);
            var spotBase = RestBase(configuration, MarketKind.Spot);

            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            RestClient Signed(Uri baseUri) => new(http, new KuCoinRestAdapter(baseUri, KuCoinCredentials.FromEnvironment(environment.Variable)));
            var context = new KuCoinCallContext(new RestClient(http, new KuCoinRestAdapter(restBase)), () => Signed(restBase), () => Signed(spotBase));
            var result = await operation.Run(context, arguments, ct).ConfigureAwait(false);
            await output.WriteLineAsync(JsonSerializer.Serialize(result, result.GetType(), Output)).ConfigureAwait(false);
            return 0;
        }
        catch (ExchangeException e)
        {
            await output.WriteLineAsync(ErrorLine(e.Error)).ConfigureAwait(false);
            return 1;
        }
    }

    /// <summary>The typed error as one JSON line: <c>code</c> (our category), <c>venueCode</c> where the venue gave one, <c>message</c>.</summary>
    public static string ErrorLine(ExchangeError error)
    {
        var venueCode = error switch
        {
            ApiError api => api.VenueCode,
            AuthenticationError auth => auth.VenueCode,
            _ => null,
        };
        return JsonSerializer.Serialize(new { type = "error", code = error.Code, venueCode, message = error.Message }, new JsonSerializerOptions
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        });
    }

    /// <summary>The configured REST base of a market; margin (and everything but futures) lives on the spot host.</summary>
    private static Uri RestBase(IConfiguration configuration, MarketKind market)
    {
        market = market == MarketKind.Futures ? market : MarketKind.Spot;
        var entry = configuration.GetSection("Venues").GetChildren().FirstOrDefault(v =>
            string.Equals(v["Venue"], VenueId.KuCoin.Value, StringComparison.OrdinalIgnoreCase)
            && string.Equals(v["Market"], market.ToWire(), StringComparison.OrdinalIgnoreCase));
        var configured = entry?["RestBaseUrl"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return market == MarketKind.Futures ? KuCoinVenue.FuturesRestBase : KuCoinVenue.SpotRestBase;
        }

        return Uri.TryCreate(configured, UriKind.Absolute, out var uri)
            ? uri
            : throw new ExchangeException(new ConfigurationError($"RestBaseUrl '{configured}' is not an absolute URL"));
    }
}
