using Akka.Actor;
using Akka.Configuration;

namespace ActorTrading.Journal;

/// <summary>A small actor system on the node's journal, for tools that read or exercise it outside the node.</summary>
public static class JournalSystem
{
    public static ActorSystem Create(string name, JournalSettings journal, string hoconPath)
    {
        journal.Prepare();
        var config = journal.ToHocon()
            .WithFallback(ConfigurationFactory.ParseString("akka { loglevel = WARNING, stdout-loglevel = OFF, coordinated-shutdown.run-by-clr-shutdown-hook = off }"))
            .WithFallback(ConfigurationFactory.ParseString(File.ReadAllText(hoconPath)));
        return ActorSystem.Create(name, config);
    }
}
