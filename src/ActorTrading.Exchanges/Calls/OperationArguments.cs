using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using ActorTrading.Core.Errors;

namespace ActorTrading.Exchanges.Calls;

/// <summary>One parameter of a <c>call</c> operation.</summary>
public sealed record OperationParameter(string Name, string Description, bool Required = false);

/// <summary>The <c>--param k=v</c> values of a call, read with the operation's declared parameters only.</summary>
public sealed class OperationArguments
{
    private readonly Dictionary<string, string> _values;

    private OperationArguments(Dictionary<string, string> values)
    {
        _values = values;
    }

    /// <summary>Parses <c>k=v</c> pairs; an unknown or missing required parameter is a configuration error naming it.</summary>
    public static OperationArguments Parse(string operation, IEnumerable<string> pairs, IReadOnlyList<OperationParameter> declared)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw Invalid($"{operation}: parameter '{pair}' must be key=value");
            }

            var name = pair[..equals].Trim();
            if (!declared.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw Invalid($"{operation}: unknown parameter '{name}' (takes: {string.Join(", ", declared.Select(p => p.Name))})");
            }

            values[name] = pair[(equals + 1)..];
        }

        var missing = declared.Where(p => p.Required && !values.ContainsKey(p.Name)).Select(p => p.Name).ToArray();
        if (missing.Length > 0)
        {
            throw Invalid($"{operation}: missing required parameter {string.Join(", ", missing)}");
        }

        return new OperationArguments(values);
    }

    public string Text(string name) => Optional(name) ?? throw Invalid($"missing required parameter {name}");

    public string? Optional(string name) => _values.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public decimal Decimal(string name) => OptionalDecimal(name) ?? throw Invalid($"missing required parameter {name}");

    public decimal? OptionalDecimal(string name) => Optional(name) is { } text
        ? decimal.TryParse(text, NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid($"{name} '{text}' is not a number")
        : null;

    public long Long(string name) => OptionalLong(name) ?? throw Invalid($"missing required parameter {name}");

    public long? OptionalLong(string name) => Optional(name) is { } text
        ? long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : throw Invalid($"{name} '{text}' is not an integer")
        : null;

    public int? OptionalInt(string name) => OptionalLong(name) is { } value ? checked((int)value) : null;

    public bool? OptionalBool(string name) => Optional(name) is { } text
        ? bool.TryParse(text, out var value) ? value : throw Invalid($"{name} '{text}' must be true or false")
        : null;

    /// <summary>An enum parameter matched against the venue's wire names (e.g. <c>ISOLATED</c>, <c>GTC</c>, <c>buy</c>).</summary>
    public T? OptionalEnum<T>(string name, IReadOnlyDictionary<string, T> wireNames)
        where T : struct
    {
        if (Optional(name) is not { } text)
        {
            return null;
        }

        return wireNames.TryGetValue(text, out var value)
            ? value
            : throw Invalid($"{name} '{text}' must be one of {string.Join(", ", wireNames.Keys)}");
    }

    /// <summary>A JSON parameter in the venue's own field names (e.g. a batch of orders), read by its source-generated type.</summary>
    public T Json<T>(string name, JsonTypeInfo<T> type)
    {
        var text = Text(name);
        try
        {
            return JsonSerializer.Deserialize(text, type) ?? throw Invalid($"{name} is null");
        }
        catch (JsonException e)
        {
            throw Invalid($"{name} is not valid JSON for {typeof(T).Name}: {e.Message}");
        }
    }

    /// <summary>A comma-separated list; empty when absent.</summary>
    public IReadOnlyList<string> List(string name) =>
        Optional(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static ExchangeException Invalid(string message) => new(new ConfigurationError(message));
}
