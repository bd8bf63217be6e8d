using System.Diagnostics;
using System.Text.Json.Nodes;
using ActorTrading.Node.Hosting;
using Xunit;

namespace ActorTrading.Node.Tests;

/// <summary>
/// A strategy of the user's own, as the README says to write it: the README's code, built as a separate class library
/// with the README's commands, named in the settings by type and assembly path, and run by a replay.
/// </summary>
public sealed class PluginSpecs : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("actortrading-plugin-").FullName;

    [Fact]
    public async Task The_readme_strategy_built_as_its_own_assembly_runs_from_the_settings_by_path()
    {
        var repository = FindRepository();
        var readme = File.ReadAllText(Path.Combine(repository, "README.md"));
        var code = CodeBlock(readme, "```csharp", "class SpreadCatcher");

        // The README's steps (the build reuses the node's already built projects instead of building them again).
        await Shell("dotnet", "new", "classlib", "-n", "MyDesk", "-o", "mydesk");
        File.Delete(Path.Combine(_folder, "mydesk", "Class1.cs"));
        await Shell("dotnet", "add", "mydesk", "reference", Path.Combine(repository, "src", "ActorTrading.Strategies", "ActorTrading.Strategies.csproj"));
        File.WriteAllText(Path.Combine(_folder, "mydesk", "SpreadCatcher.cs"), code);
        await Shell("dotnet", "build", "mydesk", "-c", "Release", "-p:BuildProjectReferences=false", "--nologo");

        // The README's settings entry, with a spread the shipped capture shows.
        var entry = JsonNode.Parse("{" + CodeBlock(readme, "```json", "\"catcher\"").Trim().TrimEnd(',') + "}")!["Strategies"]![0]!;
        entry["Parameters"]!["MinSpread"] = "0.1";
        var settings = JsonNode.Parse(File.ReadAllText(NodeHost.Locate(Path.Combine("config", "appsettings.json"))))!;
        settings["Strategies"] = new JsonArray(entry.DeepClone());
        var settingsPath = Path.Combine(_folder, "settings.json");
        File.WriteAllText(settingsPath, settings.ToJsonString());

        // The node as the user runs it, from the folder the README's relative "Assembly" path starts at.
        var journal = "sqlite:" + Path.Combine(_folder, "journal.db");
        var (exit, stdout, stderr) = await CliErrorSpecs.RunAsync(
            ["replay", "--capture", NodeHost.Locate(Program.ShippedCapture), "--config", settingsPath, "--journal", journal], [], _folder);
        Assert.True(exit == 0, stdout + stderr);
        Assert.Equal("mydesk/bin/Release/net10.0/MyDesk.dll", (string?)entry["Assembly"]);
        var orders = new StringWriter();
        Assert.Equal(0, await Program.BuildCommandLine(orders, orders).Parse(["audit", "orders", "--strategy", "catcher", "--journal", journal, "--format", "csv"]).InvokeAsync());
        var rows = orders.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains(",paper-kucoin,futures,XBTUSDTM,catcher,buy,limit,2,", r, StringComparison.Ordinal));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static string FindRepository()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "ActorTrading.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("the repository holding the tests was not found");
    }

    /// <summary>The first fenced block that opens with <paramref name="fence"/> and holds <paramref name="holding"/>.</summary>
    private static string CodeBlock(string markdown, string fence, string holding)
    {
        for (var start = markdown.IndexOf(fence + "\n", StringComparison.Ordinal); start >= 0; start = markdown.IndexOf(fence + "\n", start + 1, StringComparison.Ordinal))
        {
            var body = start + fence.Length + 1;
            var block = markdown[body..markdown.IndexOf("```", body, StringComparison.Ordinal)];
            if (block.Contains(holding, StringComparison.Ordinal))
            {
                return block;
            }
        }

        throw new InvalidOperationException($"no {fence} block with {holding} in the README");
    }

    private async Task Shell(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { WorkingDirectory = _folder, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', args)} failed:\n{await stdout}\n{await stderr}");
    }
}
