using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using ActorTrading.Node.Hosting;
using ActorTrading.Node.Http;
using ActorTrading.Simulator;
using ActorTrading.TestExchange;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>The node's HTTP endpoint on a running node: health that follows its feeds, the JSON API, Prometheus metrics, the bearer token.</summary>
public sealed class NodeHttpSpecs
{
    private static readonly string Journal = "sqlite:" + Path.Combine(Directory.CreateTempSubdirectory("actortrading-http-").FullName, "journal.db");

    [Fact]
    public async Task Ready_turns_not_ready_when_a_feed_stays_down_past_its_grace_and_ready_again_once_it_streams()
    {
        await using var venue = await FakeCryptoComVenue.StartAsync();
        var overrides = CryptoComNodeSettings.Overrides(venue, Journal, ["trades"], []);
        overrides["Http:Port"] = "0";
        overrides["Http:ReadyGraceSeconds"] = "1";
        overrides["Node:StatusIntervalSeconds"] = "0.25";
        using var host = NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null, CryptoComNodeSettings.Credentials.GetValueOrDefault);
        await host.StartAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = Endpoint(host) };
            var ready = await Eventually.Answer(() => Get(http, "health/ready"), r => r.Status == HttpStatusCode.OK, 30);
            Assert.Equal("ready", ready.Json.GetProperty("status").GetString());
            Assert.Equal(0, ready.Json.GetProperty("problems").GetArrayLength());

            // The venue goes away and stays away: within the grace the node is still ready, after it not, and says why.
            venue.Ws.RefuseConnections = true;
            venue.Ws.DropAll();
            var down = await Eventually.Answer(() => Get(http, "health/ready"), r => r.Status == HttpStatusCode.ServiceUnavailable, 30);
            Assert.Equal("not-ready", down.Json.GetProperty("status").GetString());
            var problem = Assert.Single(down.Json.GetProperty("problems").EnumerateArray()).GetString()!;
            Assert.Matches(@"^feed cryptocom\.spot/public: (Backoff|Connecting)\b.* for [0-9]+ s \(grace 1 s\)$", problem);
            Assert.Equal(HttpStatusCode.OK, (await Get(http, "health/live")).Status);   // alive all along

            venue.Ws.RefuseConnections = false;
            await Eventually.Answer(() => Get(http, "health/ready"), r => r.Status == HttpStatusCode.OK, 60);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Metrics_carry_the_named_series_with_the_runs_values_and_a_token_guards_all_but_health()
    {
        await using var simulated = await SimulatedVenue.StartAsync("cryptocom");
        var example = Path.Combine(AppContext.BaseDirectory, "config", "cryptocom.example.json");
        var overrides = NodeHost.PointVenueAt(NodeHost.LoadConfiguration(example), simulated.Venue, simulated.Market, simulated.RestBaseUri, simulated.StreamBase);
        overrides["Journal:Store"] = Journal;
        overrides["Http:Port"] = "0";
        var environment = new Dictionary<string, string?> { [HttpOptions.TokenVariable] = "s3cret-token" };
        using var host = NodeHost.Build(NodeHost.LoadConfiguration(example, overrides), TextWriter.Null, environment.GetValueOrDefault);
        await host.StartAsync();
        try
        {
            using var anonymous = new HttpClient { BaseAddress = Endpoint(host) };
            using var wrong = new HttpClient { BaseAddress = Endpoint(host), DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", "guess") } };
            using var http = new HttpClient { BaseAddress = Endpoint(host), DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token") } };
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get(anonymous, "metrics")).Status);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Get(wrong, "api/status")).Status);
            Assert.Equal(HttpStatusCode.OK, (await Get(anonymous, "health/live")).Status);
            Assert.Equal(HttpStatusCode.OK, (await Get(anonymous, "api/status?access_token=s3cret-token")).Status);

            // The paper quoter trades on the simulated book: the API shows it, and the metrics count what came.
            var status = await Eventually.Answer(() => Get(http, "api/status"), r => r.Status == HttpStatusCode.OK
                && r.Json.GetProperty("symbols").EnumerateArray().Any(s => s.GetProperty("symbol").GetString() == "BTC_USDT" && s.GetProperty("health").GetString() == "Synced")
                && r.Json.GetProperty("strategies").EnumerateArray().Any(s => s.GetProperty("fills").GetInt32() > 0), 30);
            var btc = status.Json.GetProperty("symbols").EnumerateArray().Single(s => s.GetProperty("symbol").GetString() == "BTC_USDT");
            Assert.True(btc.GetProperty("bestBid").GetProperty("price").GetDecimal() < btc.GetProperty("bestAsk").GetProperty("price").GetDecimal());
            Assert.Equal("paper-cryptocom", status.Json.GetProperty("strategies")[0].GetProperty("venue").GetString());

            // A book's levels, best first; the latest paper fills, once per trade.
            var book = await Get(http, "api/book?venue=cryptocom.spot&symbol=BTC_USDT&depth=5");
            Assert.Equal(("Synced", 5, 5), (book.Json.GetProperty("health").GetString(), book.Json.GetProperty("bids").GetArrayLength(), book.Json.GetProperty("asks").GetArrayLength()));
            var bids = book.Json.GetProperty("bids").EnumerateArray().Select(l => l[0].GetDecimal()).ToArray();
            Assert.Equal(bids.OrderDescending(), bids);
            Assert.True(bids[0] < book.Json.GetProperty("asks")[0][0].GetDecimal());
            Assert.Equal(HttpStatusCode.NotFound, (await Get(http, "api/book?venue=cryptocom.spot&symbol=DOGE_USDT")).Status);
            var fills = (await Get(http, "api/activity")).Json.GetProperty("fills").EnumerateArray().ToArray();
            Assert.NotEmpty(fills);
            Assert.All(fills, f => Assert.Equal(("paper-cryptocom", "BTC_USDT"), (f.GetProperty("venue").GetString(), f.GetProperty("symbol").GetString())));
            Assert.Equal(fills.Length, fills.Select(f => f.GetProperty("tradeId").GetString()).Distinct().Count());

            // The quoter's resting orders, as the order desk has them: open, on the paper venue, each with its price and size.
            var orders = (await Eventually.Answer(() => Get(http, "api/orders"), r => r.Status == HttpStatusCode.OK && r.Json.GetArrayLength() > 0, 10)).Json.EnumerateArray().ToArray();
            Assert.All(orders, o =>
            {
                Assert.StartsWith("cquoter-", o.GetProperty("clientOrderId").GetString(), StringComparison.Ordinal);
                Assert.Equal(("paper-cryptocom.spot", "BTC_USDT"), (o.GetProperty("venue").GetString(), o.GetProperty("symbol").GetString()));
                Assert.True(o.GetProperty("price").GetDecimal() > 80_000 && o.GetProperty("size").GetDecimal() > 0);
                Assert.DoesNotContain(o.GetProperty("status").GetString(), new[] { "Filled", "Canceled", "Rejected" });
            });

            var metrics = await (await http.GetAsync("metrics")).Content.ReadAsStringAsync();
            Assert.True(Value(metrics, "actortrading_feed_messages_total", "symbol=\"BTC_USDT\"") > 10);
            Assert.Equal(1, Value(metrics, "actortrading_book_health", "health=\"Synced\"", "symbol=\"BTC_USDT\""));
            Assert.Equal(1, Value(metrics, "actortrading_feed_state", "state=\"Streaming\"", "venue=\"cryptocom.spot\""));
            Assert.Equal(0, Value(metrics, "actortrading_feed_reconnects_total", "venue=\"cryptocom.spot\""));
            Assert.Equal(0, Value(metrics, "actortrading_protocol_errors_total"));
            // get-instruments at the start, before anyone scraped: the meters listen from the node's start, in seconds.
            Assert.True(Value(metrics, "actortrading_rest_request_duration_seconds_count", "venue=\"cryptocom-spot\"", "pool=\"public\"", "status=\"2xx\"") >= 1);
            Assert.True(Value(metrics, "actortrading_rest_request_duration_seconds_bucket", "venue=\"cryptocom-spot\"", "le=\"10\"") >= 1);
            Assert.True(Value(metrics, "dotnet_process_memory_working_set_bytes") > 20_000_000);
            Assert.True(Value(metrics, "dotnet_gc_collections_total") >= 0);

            // Per channel, the order path and the journal (the quoter's paper orders are journaled), the REST budget, the hot mailboxes.
            Assert.True(Value(metrics, "actortrading_feed_channel_messages_total", "venue=\"cryptocom.spot\"", "feed=\"public\"", "channel=\"book-delta\"") > 10);
            Assert.True(Value(metrics, "actortrading_feed_channel_messages_total", "venue=\"cryptocom.spot\"", "channel=\"trades\"") > 0);
            Assert.True(Value(metrics, "actortrading_order_round_trip_seconds_count", "venue=\"paper-cryptocom\"", "stage=\"ack\"") >= 1);
            Assert.True(Value(metrics, "actortrading_order_round_trip_seconds_count", "venue=\"paper-cryptocom\"", "stage=\"first_fill\"") >= 1);
            var writes = Value(metrics, "actortrading_journal_write_duration_seconds_count", "store=\"sqlite\"", "outcome=\"stored\"");
            Assert.True(writes >= 2, $"{writes} journal writes");
            var (events, commits) = (Value(metrics, "actortrading_journal_commit_events_sum", "store=\"sqlite\""), Value(metrics, "actortrading_journal_commit_events_count", "store=\"sqlite\""));
            Assert.True(commits >= 1 && events >= commits, $"{events} events in {commits} commits");
            Assert.InRange(Value(metrics, "actortrading_rate_budget_used", "venue=\"cryptocom-spot\"", "pool=\"public\"", "window=\"1s\""), 0, 1);
            foreach (var (kind, actor) in new[] { ("book", "book-BTC_USDT"), ("feed", "feed-public"), ("journal", "journal"), ("order-desk", "gateway"), ("strategy", "cquoter") })
            {
                Assert.InRange(Value(metrics, "actortrading_mailbox_depth", $"kind=\"{kind}\"", actor), 0, 10_000);
            }

            GrafanaQueriesOnlyExportedSeries(metrics);

            // The journal's audit: this run's summary (the quoter's paper fills), the verdict of audit verify.
            var audit = await Eventually.Answer(() => Get(http, "api/audit"), r => r.Status == HttpStatusCode.OK
                && r.Json.GetProperty("summary").EnumerateArray().Any(row => row.GetProperty("strategy").GetString() == "cquoter" && int.Parse(row.GetProperty("fills").GetString()!) > 0), 10);
            Assert.True(audit.Json.GetProperty("ok").GetBoolean());
            Assert.Equal(status.Json.GetProperty("run").GetString(), audit.Json.GetProperty("run").GetString());
            var row = audit.Json.GetProperty("summary").EnumerateArray().Single(r => r.GetProperty("strategy").GetString() == "cquoter");
            Assert.Equal(("paper-cryptocom", "BTC_USDT"), (row.GetProperty("venue").GetString(), row.GetProperty("symbol").GetString()));
            Assert.True(decimal.Parse(row.GetProperty("volume").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0);
            Assert.Equal(JsonValueKind.Null, (await Get(http, "api/audit?run=all")).Json.GetProperty("run").ValueKind);
            var badTime = await Get(http, "api/audit?from=yesterday");
            Assert.Equal(HttpStatusCode.BadRequest, badTime.Status);
            Assert.Equal("configuration: 'yesterday' is neither Unix milliseconds nor an ISO-8601 time", badTime.Json.GetProperty("error").GetString());
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>
    /// Every series the shipped Grafana dashboard queries is one this run exported, or (what did not happen on a paper
    /// run: errors, resyncs, throttling, venue order requests) one of the node's instruments.
    /// </summary>
    private static void GrafanaQueriesOnlyExportedSeries(string metrics)
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "config", "grafana", "dashboards", "actortrading.json")));
        var queries = dashboard.RootElement.GetProperty("panels").EnumerateArray()
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("expr").GetString()!)).ToArray();
        Assert.True(queries.Length >= 14, $"{queries.Length} queries");
        var instruments = new HashSet<string>();
        using (var listener = new System.Diagnostics.Metrics.MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == Runtime.Telemetry.NodeTelemetry.MeterName)
                {
                    instruments.Add(instrument.Name.Replace('.', '_'));
                }
            };
            listener.Start();
        }

        var series = queries.SelectMany(q => Regex.Matches(q, @"\b(?:actortrading|dotnet)_[a-z0-9_]+").Select(m => m.Value)).Distinct().ToArray();
        var exported = series.Where(name => Regex.IsMatch(metrics, "^" + Regex.Escape(name) + "[{ ]", RegexOptions.Multiline)).ToArray();
        var eventCounters = series.Except(exported).ToArray();
        Assert.All(eventCounters, name => Assert.Contains(Regex.Replace(name, "(_seconds)?(_bucket|_sum|_count|_total)$", ""), instruments));
        // At most these four (metrics are per process: another spec's node may have exported one of them already).
        Assert.Subset(new HashSet<string> { "actortrading_book_resyncs_total", "actortrading_feed_errors_total", "actortrading_order_request_duration_seconds_bucket", "actortrading_rest_refusals_total" },
            eventCounters.ToHashSet());
    }

    private static Uri Endpoint(IHost host) => host.Services.GetServices<IHostedService>().OfType<NodeHttpServer>().Single().Address!;

    private static async Task<(HttpStatusCode Status, JsonElement Json)> Get(HttpClient http, string path)
    {
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.StartsWith('{') || body.StartsWith('[') ? JsonDocument.Parse(body).RootElement.Clone() : default);
    }

    /// <summary>The value of the first sample of <paramref name="series"/> whose labels hold all of <paramref name="labels"/>.</summary>
    private static double Value(string metrics, string series, params string[] labels)
    {
        var line = metrics.Split('\n').FirstOrDefault(l => Regex.IsMatch(l, "^" + Regex.Escape(series) + "(\\{| )") && labels.All(l.Contains))
            ?? throw new Xunit.Sdk.XunitException($"no {series} {string.Join(",", labels)} in:\n{string.Join("\n", metrics.Split('\n').Where(l => l.StartsWith(series, StringComparison.Ordinal)))}");
        return double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_taken_port_falls_back_to_a_free_one_and_an_address_this_machine_lacks_is_one_configuration_error()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        await using var venue = await FakeCryptoComVenue.StartAsync();
        var overrides = CryptoComNodeSettings.Overrides(venue, Journal, ["trades"], []);
        overrides["Http:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var output = new StringWriter();
        using (var host = NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), output, CryptoComNodeSettings.Credentials.GetValueOrDefault))
        {
            await host.StartAsync();
            try
            {
                var address = Endpoint(host);
                Assert.NotEqual(port, address.Port);
                Assert.Contains($"http: {address} (dashboard {address}, health {address}health/ready", output.ToString(), StringComparison.Ordinal);
                using var http = new HttpClient { BaseAddress = address };
                Assert.Equal(HttpStatusCode.OK, (await Get(http, "health/live")).Status);
            }
            finally
            {
                await host.StopAsync();
            }
        }

        overrides["Http:Address"] = "10.255.255.1";
        var refused = Assert.Throws<Core.Errors.ExchangeException>(() => NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null));
        Assert.StartsWith("Http:Address = '10.255.255.1' cannot be listened on", refused.Error.Message, StringComparison.Ordinal);
        overrides["Http:Address"] = "localhost";
        Assert.Contains("is not an IP address", Assert.Throws<Core.Errors.ExchangeException>(() => NodeHost.Build(NodeHost.LoadConfiguration(null, overrides), TextWriter.Null)).Error.Message);
    }
}
