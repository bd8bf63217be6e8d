using System.Net;
using System.Net.WebSockets;
using System.Text;
using ActorTrading.Simulator;
using ActorTrading.TestExchange;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace ActorTrading.Runtime.Tests;

/// <summary>The soak's fault-injecting proxy: each fault kind does what it says, and a seed replays the same faults.</summary>
public sealed class FaultProxySpecs : IAsyncLifetime
{
    private WebApplication _upstream = null!;
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        _upstream = LoopbackServer.Create();
        // 300 numbered frames, 10 ms apart, then a normal close; a REST answer naming the upstream's socket; a token endpoint.
        _upstream.Map("/ws", async (HttpContext http) =>
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            try
            {
                for (var n = 1; n <= 300; n++)
                {
                    await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"n\":{n}}}"), WebSocketMessageType.Text, true, http.RequestAborted);
                    await Task.Delay(10, http.RequestAborted);
                }

                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", http.RequestAborted);
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException)
            {
            }
        });
        _upstream.MapGet("/api/endpoint", (HttpContext http) => Results.Json(new { url = $"ws://{http.Request.Host}/ws", n = 1 }));
        _upstream.MapPost("/api/token", () => Results.Json(new { token = "t" }));
        await _upstream.StartAsync();
        _address = LoopbackServer.Address(_upstream);
    }

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private static async Task<(List<string> Frames, TimeSpan LongestGap, bool Dropped)> ReadAllAsync(Uri socketUri)
    {
        using var client = new ClientWebSocket();
        await client.ConnectAsync(socketUri, CancellationToken.None);
        var frames = new List<string>();
        var buffer = new byte[4096];
        var last = DateTimeOffset.UtcNow;
        var longest = TimeSpan.Zero;
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (true)
            {
                var result = await client.ReceiveAsync(buffer, limit.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return (frames, longest, false);
                }

                var now = DateTimeOffset.UtcNow;
                longest = now - last > longest ? now - last : longest;
                last = now;
                frames.Add(Encoding.UTF8.GetString(buffer, 0, result.Count));
            }
        }
        catch (WebSocketException)
        {
            var silence = DateTimeOffset.UtcNow - last;   // a stall ends in a drop: the silence before it counts
            return (frames, silence > longest ? silence : longest, true);
        }
    }

    [Fact]
    public async Task Frame_faults_are_injected_as_planned_and_the_same_seed_injects_the_same_ones()
    {
        var plan = new FaultPlan { GarbageProbability = 0.05, TruncateProbability = 0.05, DelayProbability = 0.05, MaxDelay = TimeSpan.FromMilliseconds(5) };
        async Task<(List<string> Frames, IReadOnlyDictionary<FaultKind, int> Counts)> RunAsync(int seed)
        {
            await using var proxy = await FaultProxy.StartAsync(_address, plan, seed);
            var (frames, _, dropped) = await ReadAllAsync(new Uri($"ws://{proxy.Address.Authority}/ws"));
            Assert.False(dropped);
            return (frames, proxy.CountByKind());
        }

        var (frames, counts) = await RunAsync(seed: 7);
        var (again, againCounts) = await RunAsync(seed: 7);
        var (other, _) = await RunAsync(seed: 8);
        Assert.Equal(frames, again);
        Assert.Equal(counts, againCounts);
        Assert.NotEqual(frames, other);

        // Every real frame comes, in order (a socket never reorders): whole, or cut short when truncated; garbage is extra.
        var whole = frames.Where(f => System.Text.RegularExpressions.Regex.IsMatch(f, @"^\{""n"":[0-9]+\}$"))
            .Select(f => int.Parse(f[5..^1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(whole.Order().Distinct(), whole);
        Assert.Equal(300 + counts[FaultKind.Garbage], frames.Count);
        Assert.Equal(300 - counts[FaultKind.Truncate], whole.Length);
        Assert.All(new[] { FaultKind.Garbage, FaultKind.Truncate, FaultKind.Delay }, kind => Assert.InRange(counts[kind], 3, 40));   // 5 % of 300
        Assert.Equal(0, counts[FaultKind.Disconnect] + counts[FaultKind.Stall]);
    }

    [Fact]
    public async Task Rest_answers_come_through_rewritten_to_name_the_proxy_unless_a_burst_or_a_token_failure_answers_instead()
    {
        var plan = new FaultPlan
        {
            RestBurstProbability = 0.2,
            BurstLength = 2,
            RestBurstKinds = [FaultKind.Throttle, FaultKind.Ban, FaultKind.ServerError],
            RetryAfter = TimeSpan.FromSeconds(2),
            TokenPaths = ["/api/token"],
            TokenFailureProbability = 1,
        };
        async Task<List<(HttpStatusCode Status, string? RetryAfter, string Body)>> RunAsync(int seed)
        {
            await using var proxy = await FaultProxy.StartAsync(_address, plan, seed);
            using var http = new HttpClient { BaseAddress = proxy.Address };
            var answers = new List<(HttpStatusCode, string?, string)>();
            for (var i = 0; i < 60; i++)
            {
                using var response = await http.GetAsync("api/endpoint");
                answers.Add((response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    await response.Content.ReadAsStringAsync()));
            }

            using var token = await http.PostAsync("api/token", null);
            Assert.Equal(HttpStatusCode.InternalServerError, token.StatusCode);
            Assert.Equal(1, proxy.CountByKind()[FaultKind.TokenFailure]);
            Assert.Contains($"\"url\":\"ws://{proxy.Address.Authority}/ws\"", answers.First(a => a.Item1 == HttpStatusCode.OK).Item3, StringComparison.Ordinal);
            return answers;
        }

        var answers = await RunAsync(seed: 3);
        Assert.Equal(answers.Select(a => (a.Status, a.RetryAfter)), (await RunAsync(seed: 3)).Select(a => (a.Status, a.RetryAfter)));
        var statuses = answers.Select(a => (int)a.Status).ToArray();
        Assert.Subset(new HashSet<int> { 200, 429, 418, 503 }, statuses.ToHashSet());
        Assert.InRange(statuses.Count(s => s == 200), 20, 55);
        Assert.Contains(statuses, s => s != 200);
        Assert.All(answers.Where(a => (int)a.Status is 429 or 418), a => Assert.Equal("2", a.RetryAfter));
        // A burst is two answers in a row of one kind (the last request may start one).
        for (var i = 0; i + 1 < statuses.Length; i++)
        {
            if (statuses[i] != 200 && (i == 0 || statuses[i - 1] == 200))
            {
                Assert.True(statuses[i + 1] == statuses[i], $"a burst of one at {i}: {string.Join(",", statuses)}");
            }
        }
    }

    [Fact]
    public async Task One_proxy_fronts_a_simulators_paths_and_a_fakes_order_entry_and_names_itself_for_both()
    {
        // The soak's shape: the simulator's own paths to it, other sockets to the fake's stream server, the rest to its REST.
        await using var fake = LoopbackServer.Create();
        fake.MapPost("/api/order", (HttpContext http) => Results.Json(new { placed = true, stream = $"ws://{http.Request.Host}/private" }));
        fake.Map("/private", async (HttpContext http) =>
        {
            using var socket = await http.WebSockets.AcceptWebSocketAsync();
            await socket.SendAsync("private"u8.ToArray(), WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
        });
        await fake.StartAsync();
        var fakeAddress = LoopbackServer.Address(fake);
        await using var proxy = await FaultProxy.StartAsync(
            [
                new ProxyRoute(_address, new HashSet<string>(StringComparer.Ordinal) { "/ws", "/api/endpoint" }),
                new ProxyRoute(new Uri($"ws://{fakeAddress.Authority}"), Sockets: true),
                new ProxyRoute(fakeAddress, Sockets: false),
            ], new FaultPlan(), seed: 1);
        using var http = new HttpClient { BaseAddress = proxy.Address };

        Assert.Contains($"\"url\":\"ws://{proxy.Address.Authority}/ws\"", await http.GetStringAsync("api/endpoint"), StringComparison.Ordinal);
        using var placed = await http.PostAsync("api/order", null);
        Assert.Equal($"{{\"placed\":true,\"stream\":\"ws://{proxy.Address.Authority}/private\"}}", await placed.Content.ReadAsStringAsync());
        Assert.Equal(300, (await ReadAllAsync(new Uri($"ws://{proxy.Address.Authority}/ws"))).Frames.Count);
        Assert.Equal(["private"], (await ReadAllAsync(new Uri($"ws://{proxy.Address.Authority}/private"))).Frames);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("api/unknown")).StatusCode);   // the fake's REST: it has no such path
    }

    [Fact]
    public void A_seed_names_the_same_generators_in_every_process()
    {
        // Pinned values (computed apart from the code): a failing soak's seed replays its faults on any machine.
        Assert.Equal(1434715881, FaultProxy.SeedFor(7, "rest"));
        Assert.Equal(1783144577, FaultProxy.SeedFor(7, "socket 1"));
    }

    [Fact]
    public async Task A_disconnect_drops_the_socket_and_a_stall_holds_every_frame_until_it_drops()
    {
        await using (var proxy = await FaultProxy.StartAsync(_address, new FaultPlan { DisconnectsPerSecond = 2 }, seed: 1))
        {
            var (frames, _, dropped) = await ReadAllAsync(new Uri($"ws://{proxy.Address.Authority}/ws"));
            Assert.True(dropped);
            Assert.InRange(frames.Count, 1, 299);
            Assert.Equal(FaultKind.Disconnect, Assert.Single(proxy.Injected).Kind);
        }

        await using (var proxy = await FaultProxy.StartAsync(_address, new FaultPlan { StallsPerSecond = 2, StallFor = TimeSpan.FromMilliseconds(800) }, seed: 1))
        {
            var (frames, longestGap, dropped) = await ReadAllAsync(new Uri($"ws://{proxy.Address.Authority}/ws"));
            Assert.True(dropped);
            Assert.InRange(frames.Count, 1, 299);
            Assert.True(longestGap >= TimeSpan.FromMilliseconds(700), $"longest gap {longestGap}");
            Assert.Equal(FaultKind.Stall, Assert.Single(proxy.Injected).Kind);
        }
    }
}
