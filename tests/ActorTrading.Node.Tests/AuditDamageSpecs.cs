using System.CommandLine;
using ActorTrading.Journal;
using ActorTrading.Node.Cli;
using ActorTrading.TestExchange;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary><c>audit</c> on a journal with rows it cannot read: each is reported where it is, and the rest is read.</summary>
public sealed class AuditDamageSpecs
{
    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Verify_reports_every_unreadable_row_by_persistence_id_and_sequence_number_and_reads_on(string provider)
    {
        using var database = JournalDatabase.Create(provider);
        var environment = new CliEnvironment(name => name == JournalSettings.PostgresVariable ? database.Settings.ConnectionString : null, new Dictionary<string, string?>());
        Assert.Equal(0, (await Cli(environment, "journal-drill", "--orders", "2", "--fills-per-order", "1", "--journal", database.CliSpec)).Exit);
        Insert(database, "order-ghost-1", 1, "fill-recorded.v9", """{"clientOrderId":"ghost-1","tradeId":"t","price":"1","size":"1","source":"Rest","timestamp":5}"""u8.ToArray());
        Insert(database, "order-ghost-2", 1, "fill-recorded.v1", [0xFF, 0x00, 0x7B]);

        var (exit, stdout, stderr) = await Cli(environment, "audit", "verify", "--journal", database.CliSpec);
        Assert.Equal(1, exit);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("order-ghost-1 #1: fill-recorded.v9: unknown journal manifest 'fill-recorded.v9': row cannot be read", lines[0]);
        Assert.StartsWith("order-ghost-2 #1: fill-recorded.v1: ", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("journal has 2 violation(s) in 2 orders, 6 events", lines[2], StringComparison.Ordinal);   // the drill's orders still read
        Assert.Equal(string.Empty, stderr);

        (exit, stdout, stderr) = await Cli(environment, "audit", "orders", "--journal", database.CliSpec, "--format", "csv");
        Assert.Equal(0, exit);
        Assert.Equal(3, stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);   // header + the drill's two orders
        Assert.StartsWith("warning: 2 journal row(s) cannot be read and are left out (order-ghost-1 #1: ", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> Cli(CliEnvironment environment, params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var exit = await Program.BuildCommandLine(stdout, stderr, environment).Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>A row as the plugin writes them, with the given manifest and bytes.</summary>
    private static void Insert(JournalDatabase database, string persistenceId, long sequenceNr, string manifest, byte[] message)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO journal (created, deleted, persistence_id, sequence_number, message, tags, manifest, identifier, writer_uuid) "
            + "VALUES (1, false, @pid, @seq, @message, ';order-event;', @manifest, 4117, 'spec')";
        foreach (var (name, value) in new (string, object)[] { ("@pid", persistenceId), ("@seq", sequenceNr), ("@message", message), ("@manifest", manifest) })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        command.ExecuteNonQuery();
    }
}
