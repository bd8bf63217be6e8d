using System.Text.Json;
using System.Text.RegularExpressions;
using ActorTrading.Core.Errors;
using ActorTrading.Runtime.Hosting;

namespace ActorTrading.Node.Cli;

/// <summary>
/// Every way a command can fail, as the one <c>error:</c> line a person reads, and its exit code: 1 for a refused
/// input or a failed operation, 2 for a command line that does not parse, 130 for Ctrl+C, 70 for anything unexpected.
/// Never a stack trace.
/// </summary>
public static partial class CliErrors
{
    public const int Failed = 1;
    public const int Usage = 2;
    public const int Unexpected = 70;
    public const int Interrupted = 130;

    /// <summary>The line and exit code for an exception that ended a command.</summary>
    public static (string Line, int ExitCode) Describe(Exception exception) => Innermost(exception) switch
    {
        ExchangeException e => ($"error: {e.Error}", Failed),
        OperationCanceledException => ("error: stopped (Ctrl+C)", Interrupted),
        IOException or UnauthorizedAccessException or JsonException or InvalidDataException or FormatException => ($"error: {LogText.OneLine(Innermost(exception).Message)}", Failed),
        var other => ($"error: unexpected {other.GetType().Name}: {LogText.OneLine(other.Message)}", Unexpected),
    };

    /// <summary>A parse error of the command line, in the user's terms (<c>--duration 'abc' is not a number</c>).</summary>
    public static string UsageLine(string message) =>
        UnparsableValue().Match(message) is { Success: true } bad
            ? $"error: {bad.Groups["option"].Value} '{bad.Groups["value"].Value}' is not {Expected(bad.Groups["type"].Value)}"
            : $"error: {LogText.OneLine(message)}";

    /// <summary>What a value of a .NET type is, for people.</summary>
    public static string Expected(string type) => type.Replace("System.Nullable`1[", string.Empty, StringComparison.Ordinal).TrimEnd(']') switch
    {
        "System.Double" or "System.Decimal" or "System.Single" => "a number",
        "System.Int32" or "System.Int64" => "a whole number",
        "System.Boolean" => "true or false",
        var name => "a " + name[(name.LastIndexOf('.') + 1)..],
    };

    private static Exception Innermost(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Innermost(a.InnerExceptions[0]),
        System.Reflection.TargetInvocationException { InnerException: { } inner } => Innermost(inner),
        InvalidDataException { InnerException: JsonException json } => json,
        _ => exception,
    };

    [GeneratedRegex("Cannot parse argument '(?<value>.*)' for (?:option|argument) '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial Regex UnparsableValue();
}
