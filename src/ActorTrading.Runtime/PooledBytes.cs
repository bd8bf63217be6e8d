using System.Buffers;

namespace ActorTrading.Runtime;

/// <summary>Byte buffers from the shared pool that grow as a message or a body turns out longer.</summary>
internal static class PooledBytes
{
    /// <summary>A pooled buffer twice as long holding the first <paramref name="used"/> bytes; <paramref name="buffer"/> goes back to the pool.</summary>
    public static byte[] Grow(byte[] buffer, int used)
    {
        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
        buffer.AsSpan(0, used).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(buffer);
        return bigger;
    }
}
