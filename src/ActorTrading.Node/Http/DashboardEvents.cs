using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace ActorTrading.Node.Http;

/// <summary>
/// <c>/api/events</c>: server-sent events for the dashboard, one <c>update</c> each status interval with the status,
/// the top ten levels of every book, the open orders and the latest activity; the page never polls.
/// </summary>
public static class DashboardEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task StreamAsync(HttpContext http, NodeSources node)
    {
        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        var stop = http.RequestAborted;
        using var timer = new PeriodicTimer(node.Interval);
        try
        {
            do
            {
                var status = StatusView.Of(node.Run, node.Status.Last, node.Status.LastStrategies);
                var books = new List<NodeSources.BookJson>();
                foreach (var symbol in status.Symbols.Where(s => s.Health is not null))
                {
                    if (await node.BookAsync(symbol.Venue, symbol.Symbol, 10).ConfigureAwait(false) is { } book)
                    {
                        books.Add(book);
                    }
                }

                var orders = await node.OpenOrdersAsync().ConfigureAwait(false) ?? [];
                var update = JsonSerializer.Serialize(new { status, books, orders, activity = await node.ActivityAsync().ConfigureAwait(false) }, Json);
                await http.Response.WriteAsync($"event: update\ndata: {update}\n\n", stop).ConfigureAwait(false);
                await http.Response.Body.FlushAsync(stop).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            // The page went away.
        }
    }
}
