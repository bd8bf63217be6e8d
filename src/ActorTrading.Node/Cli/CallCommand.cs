using System.Text.Json;
using System.Text.Json.Serialization;
using ActorTrading.Core.Adapters;
using ActorTrading.Core.Errors;
using ActorTrading.Core.Ids;
using ActorTrading.Core.Json;
using ActorTrading.Exchanges;
using ActorTrading.Exchanges.Calls;
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
/// <c>actortrading call &lt;venue&gt; &lt;operation&gt;</c>: one typed REST operation, printed as JSON with decimals as
/// strings, or a typed error line and exit code 1. Base URLs come from the configuration (file and
/// <c>ACTORTRADING__</c> variables); credentials from the venue's own variables, only when the operation is signed.
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

    public static int List(string venue, MarketKind? market, TextWriter output)
    {
        foreach (var operation in CallOperations.Of(venue).Where(o => market is null || o.Market == market))
        {
            output.WriteLine($"{operation.Name,-26} {operation.Market.ToWire(),-8} {operation.Description}");
            foreach (var parameter in operation.Parameters)
            {
                output.WriteLine($"    {parameter.Name + (parameter.Required ? " (required)" : string.Empty),-26} {parameter.Description}");
            }
        }

        return 0;
    }

    public static async Task<int> RunAsync(string venue, string operationName, MarketKind market, IReadOnlyList<string> parameters, string? configPath,
        CliEnvironment environment, TextWriter output, CancellationToken ct)
    {
        try
        {
            var operation = CallOperations.Of(venue).FirstOrDefault(o => o.Market == market && o.Name.Equals(operationName, StringComparison.OrdinalIgnoreCase))
                ?? throw new ExchangeException(new ConfigurationError(
                    $"unknown operation '{operationName}' for {venue} {market.ToWire()} (see: actortrading call {venue} --list)"));
            var arguments = OperationArguments.Parse(operation.Name, parameters, operation.Parameters);
            var configuration = NodeHost.LoadConfiguration(configPath, environment.ConfigOverrides);

            using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            var context = new CallContext(venue, market, m => RestBase(configuration, venue, m), environment.Variable, http);
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

    /// <summary>The configured REST base of a venue+market (<c>Venues:N:RestBaseUrl</c>), else the venue's own host.</summary>
    private static Uri RestBase(IConfiguration configuration, string venue, MarketKind market)
    {
        var module = ExchangeCatalog.Find(venue, market);
        var entry = configuration.GetSection("Venues").GetChildren().FirstOrDefault(v =>
            string.Equals(v["Venue"], venue, StringComparison.OrdinalIgnoreCase)
            && string.Equals(v["Market"], market.ToWire(), StringComparison.OrdinalIgnoreCase));
        var configured = entry?["RestBaseUrl"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return module.DefaultRestBase;
        }

        return Uri.TryCreate(configured, UriKind.Absolute, out var uri)
            ? uri
            : throw new ExchangeException(new ConfigurationError($"RestBaseUrl '{configured}' is not an absolute URL"));
    }
}

/// <summary>What an operation runs against, over this process's HTTP client and the configured base URLs.</summary>
public sealed class CallContext(string venue, MarketKind market, Func<MarketKind, Uri> restBase, Func<string, string?> environment, HttpClient http) : ICallContext
{
    public MarketKind Market { get; } = market;

    public IRestExecutor PublicOn(MarketKind market) =>
        new RestClient(http, ExchangeCatalog.Find(venue, market).CreateRestAdapter(new VenueEndpoints(restBase(market))));

    public IRestExecutor SignedOn(MarketKind market) => ExchangeCatalog.Find(venue, market) is IPrivateVenueModule module
        ? new RestClient(http, module.CreateSignedRestAdapter(new VenueEndpoints(restBase(market)), environment))
        : throw new ExchangeException(new ConfigurationError($"{venue} {market.ToWire()} has no signed REST"));
}

/// <summary>Every venue's operations, as its module lists them.</summary>
public static class CallOperations
{
    private static IEnumerable<IGrouping<string, IVenueModule>> Venues =>
        ExchangeCatalog.Modules.Where(m => m.Calls.Count > 0).GroupBy(m => m.Venue.Value, StringComparer.OrdinalIgnoreCase);

    /// <summary>Why <c>call</c> cannot serve a venue, or null when it can.</summary>
    public static ConfigurationError? Refusal(string venue) => Venues.Any(v => v.Key.Equals(venue, StringComparison.OrdinalIgnoreCase))
        ? null
        : new ConfigurationError($"call supports {string.Join(" and ", Venues.Select(v => v.Key))}, not '{venue}'");

    public static IReadOnlyList<CallOperation> Of(string venue) =>
        Venues.FirstOrDefault(v => v.Key.Equals(venue, StringComparison.OrdinalIgnoreCase))?.First().Calls ?? throw new ExchangeException(Refusal(venue)!);
}
