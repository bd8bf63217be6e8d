using ActorTrading.Journal;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ActorTrading.TestExchange;

/// <summary>A real, empty journal database for one spec class: a SQLite file, or a fresh PostgreSQL database.</summary>
public abstract class JournalDatabase : IDisposable
{
    /// <summary><c>sqlite</c> or <c>postgres</c>: the two providers every journal spec runs on.</summary>
    public static JournalDatabase Create(string provider) => provider switch
    {
        "sqlite" => new SqliteJournalDatabase(),
        "postgres" => new PostgresJournalDatabase(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite or postgres"),
    };

    /// <summary>The value of <c>--journal</c> that points the CLI at this database (PostgreSQL through its variable).</summary>
    public string CliSpec => Settings.Spec;

    public abstract JournalSettings Settings { get; }

    /// <summary>An actor system's config on this database: the injected journal settings over <c>hocon.conf</c>, INFO logging.</summary>
    public Akka.Configuration.Config SystemConfig() =>
        Settings.ToHocon()
            .WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = INFO"))
            .WithFallback(Akka.Configuration.ConfigurationFactory.ParseString(File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "hocon.conf"))));

    /// <summary>The journal rows of one persistence id as (manifest, JSON text), in sequence order, read with plain SQL.</summary>
    public IReadOnlyList<(string Manifest, string Json)> Rows(string persistenceId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT manifest, {MessageAsText} FROM journal WHERE persistence_id = @id ORDER BY sequence_number";
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        id.Value = persistenceId;
        command.Parameters.Add(id);
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    /// <summary>The sequence numbers of one persistence id in the order the database stored them (its <c>ordering</c> column).</summary>
    public IReadOnlyList<long> SequenceNumbersAsStored(string persistenceId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence_number FROM journal WHERE persistence_id = @id ORDER BY ordering";
        var id = command.CreateParameter();
        id.ParameterName = "@id";
        id.Value = persistenceId;
        command.Parameters.Add(id);
        using var reader = command.ExecuteReader();
        var numbers = new List<long>();
        while (reader.Read())
        {
            numbers.Add(reader.GetInt64(0));
        }

        return numbers;
    }

    /// <summary>A plain ADO.NET connection to the journal database (raw SQL beside the plugin).</summary>
    public abstract System.Data.Common.DbConnection Open();

    /// <summary>
    /// Makes the database itself refuse journal rows of <paramref name="persistenceId"/> (a trigger raising an error):
    /// a database error in the middle of a commit. The journal table must exist.
    /// </summary>
    public void RefuseJournalRowsOf(string persistenceId)
    {
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = RefusingTrigger(persistenceId.Replace("'", "''"), $"refuse_rows_{Interlocked.Increment(ref _triggers)}");
        command.ExecuteNonQuery();
    }

    private int _triggers;

    /// <summary>The SQL that creates a trigger named <paramref name="name"/> refusing the rows of <paramref name="persistenceId"/>.</summary>
    protected abstract string RefusingTrigger(string persistenceId, string name);

    /// <summary>The binary <c>message</c> column as text, in this database's SQL.</summary>
    protected abstract string MessageAsText { get; }

    public abstract void Dispose();
}

public sealed class SqliteJournalDatabase : JournalDatabase
{
    private readonly string _dir = Directory.CreateTempSubdirectory("actortrading-journal-").FullName;

    public SqliteJournalDatabase()
    {
        Settings = JournalSettings.Sqlite(Path.Combine(_dir, "journal.db"));
        Settings.Prepare();
    }

    public override JournalSettings Settings { get; }

    protected override string MessageAsText => "CAST(message AS TEXT)";

    protected override string RefusingTrigger(string persistenceId, string name) =>
        $"CREATE TRIGGER {name} BEFORE INSERT ON journal WHEN NEW.persistence_id = '{persistenceId}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;";

    public override System.Data.Common.DbConnection Open()
    {
        var connection = new SqliteConnection(Settings.ConnectionString);
        connection.Open();
        return connection;
    }

    public override void Dispose()
    {
        // A connection still in use when the pools are cleared (a read finishing as its actor system stops) closes when
        // it is returned, and closing the last one removes the -wal and -shm files: the folder may change under us.
        for (var attempt = 1; ; attempt++)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_dir, recursive: true);
                return;
            }
            catch (IOException) when (attempt < 30)
            {
                Thread.Sleep(100);
            }
        }
    }
}

public sealed class PostgresJournalDatabase : JournalDatabase
{
    /// <summary>Set by <c>.ci/test</c> (the README's test command) to a throwaway server it started.</summary>
    public const string Variable = "ACTORTRADING_TEST_POSTGRES";

    private readonly string _admin;
    private readonly string _database = "journal_" + Guid.NewGuid().ToString("N")[..12];

    public PostgresJournalDatabase()
    {
        _admin = Environment.GetEnvironmentVariable(Variable)
            ?? throw new InvalidOperationException($"the PostgreSQL journal specs need a server: run the tests with `bash .ci/test` (it starts one), or set {Variable}");
        Execute($"CREATE DATABASE {_database}");
        Settings = JournalSettings.Postgres(new NpgsqlConnectionStringBuilder(_admin) { Database = _database }.ToString());
    }

    public override JournalSettings Settings { get; }

    protected override string MessageAsText => "convert_from(message, 'UTF8')";

    protected override string RefusingTrigger(string persistenceId, string name) =>
        $"CREATE FUNCTION {name}() RETURNS trigger AS $$ BEGIN IF NEW.persistence_id = '{persistenceId}' THEN RAISE EXCEPTION 'refused by the test'; "
        + $"END IF; RETURN NEW; END $$ LANGUAGE plpgsql; CREATE TRIGGER {name} BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION {name}();";

    public override System.Data.Common.DbConnection Open()
    {
        var connection = new NpgsqlConnection(Settings.ConnectionString);
        connection.Open();
        return connection;
    }

    public override void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_admin);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
