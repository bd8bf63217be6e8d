using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;

namespace ActorTrading.Runtime.Replay;

/// <summary>
/// Knows when an actor system has nothing left to do: no message waiting or being handled in any mailbox (counted by
/// <see cref="CountingMailbox"/>), no registered asynchronous work (a journal write or read) in flight. A replay waits
/// for it after every frame, so everything a frame causes happens before the next frame: that is what makes two
/// replays of one capture journal the same events.
/// </summary>
public sealed class Quiescence
{
    private static readonly ConditionalWeakTable<ActorSystem, Quiescence> BySystem = new();
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(1);
    private long _messages;
    private long _lastQuiet = -1;
    private long _work;
    private long _activity;

    public static Quiescence For(ActorSystem system) => BySystem.GetValue(system, _ => new Quiescence());

    /// <summary>
    /// True when no message, no registered work and no thread-pool work item is pending now. The last covers the
    /// hand-offs no mailbox sees: an Ask's answer completes its task, and the continuation that pipes it to an actor
    /// waits in the pool's queue, for longer than any grace period when the machine is busy.
    /// </summary>
    public bool IsQuiet => Interlocked.Read(ref _messages) == 0 && Interlocked.Read(ref _work) == 0 && ThreadPool.PendingWorkItemCount == 0;

    /// <summary>What keeps the system from being quiet now, for a log line.</summary>
    public string Busy => $"messages {Interlocked.Read(ref _messages)}, work {Interlocked.Read(ref _work)}, pool items {ThreadPool.PendingWorkItemCount}";

    /// <summary>Every enqueue and every start or end of work: unchanged between two looks means nothing ran in between.</summary>
    public long Activity => Interlocked.Read(ref _activity);

    public void MessageEnqueued()
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Increment(ref _activity);
    }

    public void MessageDone() => Interlocked.Decrement(ref _messages);

    /// <summary>Asynchronous work outside mailboxes starts (a database call); end it with <see cref="EndWork"/>.</summary>
    public void BeginWork()
    {
        Interlocked.Increment(ref _work);
        Interlocked.Increment(ref _activity);
    }

    public void EndWork()
    {
        Interlocked.Increment(ref _activity);
        Interlocked.Decrement(ref _work);
    }

    /// <summary>
    /// Runs <paramref name="work"/> counted as asynchronous work in flight until it ends, however it ends, and until
    /// what its end runs inline (the continuation that tells an actor the result) has run: no quiet gap between a
    /// finished task and its message.
    /// </summary>
    public Task<T> Track<T>(Func<Task<T>> work)
    {
        BeginWork();
        Task<T> started;
        try
        {
            started = work();
        }
        catch (Exception e)
        {
            started = Task.FromException<T>(e);
        }

        var outcome = new TaskCompletionSource<T>();
        started.ContinueWith(
            done =>
            {
                try
                {
                    outcome.SetFromTask(done);
                }
                finally
                {
                    EndWork();
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return outcome.Task;
    }

    /// <inheritdoc cref="Track{T}"/>
    public Task Track(Func<Task> work) => Track(async () =>
    {
        await work().ConfigureAwait(false);
        return true;
    });

    /// <summary>
    /// Waits until the system is quiet and stays so for a millisecond with no activity at all (the hand-off from a
    /// finished database task to the message it sends takes microseconds). Returns at once when nothing happened since
    /// the last quiet moment.
    /// </summary>
    public async Task WaitAsync(CancellationToken cancellationToken = default)
    {
        if (IsQuiet && Activity == Interlocked.Read(ref _lastQuiet))
        {
            return;
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var seen = Activity;
        TimeSpan? quietSince = null;
        for (var looks = 0; ; looks++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = Activity;
            if (IsQuiet && now == seen)
            {
                quietSince ??= clock.Elapsed;
                if (clock.Elapsed - quietSince >= Grace)
                {
                    Interlocked.Exchange(ref _lastQuiet, now);
                    return;
                }
            }
            else
            {
                seen = now;
                quietSince = null;
            }

            if (looks < 5_000)
            {
                Thread.Yield();
            }
            else
            {
                await Task.Delay(1, cancellationToken).ConfigureAwait(false);   // long work (a commit): stop spinning
            }
        }
    }
}

/// <summary>Unbounded mailbox that counts for <see cref="Quiescence"/> (<c>akka.actor.default-mailbox</c> of a replay).</summary>
public sealed class CountingMailbox(Settings settings, Config config) : MailboxType(settings, config), IProducesMessageQueue<CountingMessageQueue>
{
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new CountingMessageQueue(Quiescence.For(system));
}

/// <summary>Deque-based (stash) mailbox that counts for <see cref="Quiescence"/> (<c>akka.actor.mailbox.unbounded-deque-based</c> of a replay).</summary>
public sealed class CountingDequeMailbox(Settings settings, Config config) : MailboxType(settings, config), IProducesMessageQueue<CountingDequeMessageQueue>
{
    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new CountingDequeMessageQueue(Quiescence.For(system));
}

/// <summary>
/// A message counts from its enqueue until its actor asks for the next one (the mailbox always does after handling a
/// message), so a message being handled still counts. Messages in hand are counted, not flagged: a calling-thread
/// dispatcher (test probes) may dequeue from two threads at once, and no "done" may be lost.
/// </summary>
public class CountingMessageQueue(Quiescence quiescence) : IMessageQueue, IUnboundedMessageQueueSemantics
{
    private readonly UnboundedMessageQueue _queue = new();
    private int _handling;

    public virtual bool HasMessages => _queue.HasMessages;

    public virtual int Count => _queue.Count;

    protected Quiescence Quiescence { get; } = quiescence;

    public void Enqueue(IActorRef receiver, Envelope envelope)
    {
        Quiescence.MessageEnqueued();
        _queue.Enqueue(receiver, envelope);
    }

    public virtual bool TryDequeue(out Envelope envelope)
    {
        FinishHandling();
        if (_queue.TryDequeue(out envelope))
        {
            StartHandling();
            return true;
        }

        return false;
    }

    public void CleanUp(IActorRef owner, IMessageQueue deadletters)
    {
        while (Volatile.Read(ref _handling) > 0)
        {
            FinishHandling();
        }

        while (TryDequeue(out var envelope))
        {
            FinishHandling();
            deadletters.Enqueue(owner, envelope);
        }
    }

    /// <summary>One message in hand is done (if any is).</summary>
    protected void FinishHandling()
    {
        int inHand;
        do
        {
            inHand = Volatile.Read(ref _handling);
            if (inHand == 0)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _handling, inHand - 1, inHand) != inHand);

        Quiescence.MessageDone();
    }

    protected void StartHandling() => Interlocked.Increment(ref _handling);
}

/// <summary>The deque-based variant: unstashed messages go to the front and count like any other.</summary>
public sealed class CountingDequeMessageQueue(Quiescence quiescence) : CountingMessageQueue(quiescence), IUnboundedDequeBasedMessageQueueSemantics
{
    private readonly Stack<Envelope> _front = new();

    public override bool HasMessages => _front.Count > 0 || base.HasMessages;

    public override int Count => _front.Count + base.Count;

    public void EnqueueFirst(Envelope envelope)
    {
        Quiescence.MessageEnqueued();
        _front.Push(envelope);
    }

    public override bool TryDequeue(out Envelope envelope)
    {
        if (_front.Count > 0)
        {
            FinishHandling();
            envelope = _front.Pop();
            StartHandling();
            return true;
        }

        return base.TryDequeue(out envelope);
    }
}
