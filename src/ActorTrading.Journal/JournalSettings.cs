using ActorTrading.Core.Errors;
using Akka.Configuration;
using Akka.Hosting;
using Microsoft.Data.Sqlite;

namespace ActorTrading.Journal;

public enum JournalProvider
{
    Sqlite,
    Postgres,
}

/// <summary>
/// Where the journal lives: a SQLite file (the default, no set-up) or PostgreSQL with the connection string from the
/// environment. The structure of the plugins is in <c>hocon.conf</c>; only these values are injected from code,
/// because HOCON cannot read the environment.
/// </summary>
public sealed record JournalSettings(JournalProvider Provider, string ConnectionString)
{
    public const string DefaultSqlitePath = "data/actortrading.db";

    /// <summary>The environment variable holding the PostgreSQL connection string.</summary>
    public const string PostgresVariable = "ACTORTRADING_POSTGRES";

    public static JournalSettings Sqlite(string path) =>
        new(JournalProvider.Sqlite, new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(path), Pooling = true }.ToString());

    /// <summary>PostgreSQL at <paramref name="connectionString"/>; one Npgsql cannot read is a configuration error (the string itself is never repeated: it may hold a password).</summary>
    public static JournalSettings Postgres(string connectionString)
    {
        try
        {
            _ = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ExchangeException(new ConfigurationError($"journal postgres: {PostgresVariable} is not a PostgreSQL connection string ({e.Message.Split('\n')[0]})"));
        }

        return new(JournalProvider.Postgres, connectionString);
    }

    /// <summary>
    /// <c>sqlite:PATH</c>, <c>sqlite</c> (the default file) or <c>postgres</c> (connection string from
    /// <see cref="PostgresVariable"/>); a missing or unknown value is a configuration error naming what to set.
    /// </summary>
    public static JournalSettings Parse(string? spec, Func<string, string?> environment)
    {
        spec = string.IsNullOrWhiteSpace(spec) ? "sqlite" : spec.Trim();
        if (spec.Equals("sqlite", StringComparison.OrdinalIgnoreCase))
        {
            return Sqlite(DefaultSqlitePath);
        }

        if (spec.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase) && spec.Length > "sqlite:".Length)
        {
            return Sqlite(spec["sqlite:".Length..]);
        }

        if (spec.Equals("postgres", StringComparison.OrdinalIgnoreCase) || spec.Equals("postgresql", StringComparison.OrdinalIgnoreCase))
        {
            return environment(PostgresVariable) is { Length: > 0 } connection
                ? Postgres(connection)
                : throw new ExchangeException(new ConfigurationError($"journal postgres: set {PostgresVariable} to the PostgreSQL connection string"));
        }

        throw new ExchangeException(new ConfigurationError($"journal '{spec}': use sqlite, sqlite:PATH or postgres"));
    }

    /// <summary>linq2db provider names: Microsoft.Data.Sqlite, and PostgreSQL 15+ (identity ordering column).</summary>
    public string ProviderName => Provider == JournalProvider.Sqlite ? "SQLite.MS" : "PostgreSQL.15";

    /// <summary>The <c>--journal</c> value that names this journal (PostgreSQL through its environment variable).</summary>
    public string Spec => Provider == JournalProvider.Sqlite ? "sqlite:" + Describe() : "postgres";

    /// <summary>Where the data lives, for people: the SQLite file, or the PostgreSQL host/database (never the password).</summary>
    public string Describe()
    {
        if (Provider == JournalProvider.Sqlite)
        {
            return new SqliteConnectionStringBuilder(ConnectionString).DataSource;
        }

        var pg = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString);
        return $"postgres://{pg.Host}:{pg.Port}/{pg.Database}";
    }

    /// <summary>The injected values: provider and connection string for the journal, the snapshot store and the query side.</summary>
    public Config ToHocon()
    {
        var provider = ProviderName.ToHocon();
        var connection = ConnectionString.ToHocon();
        // SQLite has one writer at a time: parallel commits only wait on each other's locks.
        var writers = Provider == JournalProvider.Sqlite ? 1 : 3;
        // Microsoft.Data.Sqlite opens every transaction but a read-uncommitted one with BEGIN IMMEDIATE, which takes
        // the write lock: recoveries and audits would queue behind the writer (in 150 ms busy sleeps). In WAL mode a
        // plain BEGIN reads a committed snapshot, so reads lose nothing by it.
        var reads = Provider == JournalProvider.Sqlite ? "read-uncommitted" : "unspecified";
        return ConfigurationFactory.ParseString($$"""
            akka.persistence.journal.sql {
              provider-name = {{provider}}, connection-string = {{connection}}, read-isolation-level = {{reads}}
              parallelism = {{writers}}, group-commit.max-commits-in-flight = {{writers}}
            }
            akka.persistence.snapshot-store.sql { provider-name = {{provider}}, connection-string = {{connection}}, read-isolation-level = {{reads}} }
            akka.persistence.query.journal.sql { provider-name = {{provider}}, connection-string = {{connection}}, read-isolation-level = {{reads}} }
            """);
    }

    /// <summary>
    /// Makes the journal ready before any actor touches it. SQLite: creates the file's folder and turns on WAL, so
    /// audits can read while the node writes; a folder that cannot be made or written, or a file that is not a SQLite
    /// database, is a configuration error naming the path. PostgreSQL: one connection within 5 s, else a configuration
    /// error naming the server (a node or tool never starts on a journal it cannot reach).
    /// </summary>
    public void Prepare()
    {
        if (Provider == JournalProvider.Postgres)
        {
            CheckPostgres();
            return;
        }

        var path = Path.GetFullPath(new SqliteConnectionStringBuilder(ConnectionString).DataSource);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var connection = new SqliteConnection(ConnectionString);
            connection.Open();
            using var wal = connection.CreateCommand();
            // Reading the schema finds a file that is not a database, or whose first pages are damaged, now.
            wal.CommandText = "PRAGMA journal_mode=WAL; SELECT count(*) FROM sqlite_master;";
            wal.ExecuteNonQuery();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
            SqliteConnection.ClearAllPools();
            throw new ExchangeException(new ConfigurationError($"journal {path} cannot be used: {FileInTheWay(path) ?? Reason(e)}"));
        }
    }

    private void CheckPostgres()
    {
        var quick = new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { Timeout = 5, Pooling = false };
        try
        {
            using var connection = new Npgsql.NpgsqlConnection(quick.ConnectionString);
            connection.Open();
        }
        catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException or TimeoutException or InvalidOperationException)
        {
            throw new ExchangeException(new ConfigurationError($"journal {Describe()} cannot be reached: {(e.InnerException ?? e).Message.Split('\n')[0]}"));
        }
    }

    /// <summary>
    /// For commands that only read: the journal must exist and be readable (reading never creates an empty one by a
    /// typo, and a damaged file or an unreachable server is one configuration error, as for <see cref="Prepare"/>).
    /// </summary>
    public void RequireExisting()
    {
        if (Provider == JournalProvider.Postgres)
        {
            CheckPostgres();
            return;
        }

        var path = Path.GetFullPath(Describe());
        if (!File.Exists(path))
        {
            throw new ExchangeException(new ConfigurationError($"journal {path} does not exist"));
        }

        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            using var schema = connection.CreateCommand();
            schema.CommandText = "SELECT count(*) FROM sqlite_master;";
            schema.ExecuteScalar();
        }
        catch (SqliteException e)
        {
            throw new ExchangeException(new ConfigurationError($"journal {path} cannot be used: {Reason(e)}"));
        }
    }

    /// <summary>A file standing where the journal's folder should be (<c>data</c> is a file), if one does.</summary>
    private static string? FileInTheWay(string path)
    {
        for (var folder = Path.GetDirectoryName(path); folder is not null; folder = Path.GetDirectoryName(folder))
        {
            if (File.Exists(folder))
            {
                return $"'{folder}' is a file, not a folder";
            }
        }

        return null;
    }

    private static string Reason(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: 26 } => "not a SQLite database",
        SqliteException { SqliteErrorCode: 11 } => "the database file is damaged",
        SqliteException { SqliteErrorCode: 8 } => "read-only",
        SqliteException { SqliteErrorCode: 14 } => "the file cannot be opened (is its folder writable?)",
        SqliteException sqlite => sqlite.Message.Replace("SQLite Error ", "error ", StringComparison.Ordinal),
        _ => e.Message,
    };
}
