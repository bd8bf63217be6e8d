using System.Diagnostics.Metrics;

namespace ActorTrading.TestExchange;

/// <summary>
/// The sum of one of the node's instruments (counter or histogram) over the measurements whose tags hold all of the
/// given pairs, recorded while this lives. Instruments are per process, so other tests may add to a sum: specs assert
/// what theirs must at least have added.
/// </summary>
public sealed class MeasuredSum : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly object _gate = new();
    private double _sum;
    private long _count;

    public MeasuredSum(string instrument, params (string Name, string Value)[] tags)
    {
        _listener.InstrumentPublished = (published, listener) =>
        {
            if (published.Meter.Name == "ActorTrading" && published.Name == instrument)
            {
                listener.EnableMeasurementEvents(published);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, value, measured, _) => Add(value, measured, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, measured, _) => Add(value, measured, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, measured, _) => Add(value, measured, tags));
        _listener.Start();
    }

    public double Sum
    {
        get
        {
            lock (_gate)
            {
                return _sum;
            }
        }
    }

    /// <summary>How many measurements matched (a histogram's count).</summary>
    public long Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    /// <summary>An observable instrument's reading now (the sum of its matching measurements).</summary>
    public double Observe()
    {
        lock (_gate)
        {
            (_sum, _count) = (0, 0);
        }

        _listener.RecordObservableInstruments();
        return Sum;
    }

    public void Dispose() => _listener.Dispose();

    private void Add(double value, ReadOnlySpan<KeyValuePair<string, object?>> measured, (string Name, string Value)[] wanted)
    {
        foreach (var (name, expected) in wanted)
        {
            var found = false;
            foreach (var tag in measured)
            {
                found |= tag.Key == name && Equals(tag.Value as string, expected);
            }

            if (!found)
            {
                return;
            }
        }

        lock (_gate)
        {
            _sum += value;
            _count++;
        }
    }
}
