using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ActorTrading.Simulator;

/// <summary>A quiet Kestrel app on 127.0.0.1 with a free port and WebSockets on: what every in-process venue runs on.</summary>
public static class LoopbackServer
{
    /// <summary>The app, ready for its endpoints; start it, then read <see cref="Address"/>.</summary>
    public static WebApplication Create()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets();
        return app;
    }

    /// <summary>The started app's base address, <c>http://127.0.0.1:{port}</c>.</summary>
    public static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
