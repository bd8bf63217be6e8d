using System.Runtime.InteropServices;

namespace ActorTrading.Core;

public static class DictionaryExtensions
{
    /// <summary>The value at <paramref name="key"/>, created (and stored) when there is none yet.</summary>
    public static TValue GetOrNew<TKey, TValue>(this Dictionary<TKey, TValue> dictionary, TKey key)
        where TKey : notnull
        where TValue : new()
    {
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(dictionary, key, out var existed);
        if (!existed)
        {
            slot = new TValue();
        }

        return slot!;
    }
}
