using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Loader;

namespace ActorTrading.Strategies;

/// <summary>
/// Loads a user's strategy assembly (a plug-in built as its own class library) into a load context of its own: its
/// private dependencies come from its folder (its <c>.deps.json</c>), while every assembly the node itself has
/// (ActorTrading.*, Akka, the framework) is shared, so its strategy derives from the node's one
/// <see cref="StrategyActor"/> type whatever copies its build output holds.
/// </summary>
public sealed class StrategyLoadContext : AssemblyLoadContext
{
    private static readonly ConcurrentDictionary<string, Assembly> Loaded = new(StringComparer.Ordinal);
    private readonly AssemblyDependencyResolver _resolver;

    private StrategyLoadContext(string assemblyPath)
        : base($"strategy:{Path.GetFileNameWithoutExtension(assemblyPath)}")
    {
        _resolver = new AssemblyDependencyResolver(assemblyPath);
    }

    /// <summary>The plug-in at <paramref name="assemblyPath"/>, loaded once per path.</summary>
    public static Assembly LoadPlugin(string assemblyPath) =>
        Loaded.GetOrAdd(Path.GetFullPath(assemblyPath), path => new StrategyLoadContext(path).LoadFromAssemblyPath(path));

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        try
        {
            return Default.LoadFromAssemblyName(assemblyName);   // the node's own copy, shared
        }
        catch (FileNotFoundException)
        {
            return _resolver.ResolveAssemblyToPath(assemblyName) is { } path ? LoadFromAssemblyPath(path) : null;
        }
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is { } path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
}
