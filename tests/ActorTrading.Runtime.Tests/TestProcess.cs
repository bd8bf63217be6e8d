using System.Runtime.CompilerServices;

namespace ActorTrading.Runtime.Tests;

/// <summary>Process-wide settings for this test assembly.</summary>
internal static class TestProcess
{
    /// <summary>
    /// Many actor systems, Kestrel and WireMock servers share two cores here; blocking TestKit probes would otherwise
    /// starve the thread pool for a second at a time and distort every timing the specs measure. Hosts must not
    /// watch config files either (inotify limits).
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize()
    {
        ThreadPool.SetMinThreads(32, 32);
        Environment.SetEnvironmentVariable("DOTNET_HOSTBUILDER__RELOADCONFIGONCHANGE", "false");
    }
}
