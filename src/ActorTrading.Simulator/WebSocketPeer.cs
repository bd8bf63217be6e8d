using System.Net.WebSockets;
using System.Text;

namespace ActorTrading.Simulator;

/// <summary>
/// The server's side of one client WebSocket: whole messages in, and sends one at a time (a WebSocket takes one send
/// at a time). A send to a closed or failing socket is dropped: the client's reader sees the drop.
/// </summary>
public sealed class WebSocketPeer(WebSocket socket)
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private byte[] _buffer = new byte[16 * 1024];

    public WebSocket Socket { get; } = socket;

    /// <summary>The next whole message as text, or null once the client closed.</summary>
    public async Task<string?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        WebSocketReceiveResult result;
        do
        {
            if (length == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            result = await Socket.ReceiveAsync(new ArraySegment<byte>(_buffer, length, _buffer.Length - length), cancellationToken).ConfigureAwait(false);
            length += result.Count;
        }
        while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

        return result.MessageType == WebSocketMessageType.Close ? null : Encoding.UTF8.GetString(_buffer, 0, length);
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public Task SendAsync(byte[] bytes, WebSocketMessageType type) => SendFragmentsAsync(bytes, type, pieces: 1);

    /// <summary>One message cut into <paramref name="pieces"/> WebSocket frames (continuation frames), as venues may send.</summary>
    public Task SendFragmentsAsync(byte[] bytes, WebSocketMessageType type, int pieces) => Locked(async () =>
    {
        var size = Math.Max(1, (bytes.Length + pieces - 1) / pieces);
        var offset = 0;
        do
        {
            var count = Math.Min(size, bytes.Length - offset);
            await Socket.SendAsync(bytes.AsMemory(offset, count), type, endOfMessage: offset + count >= bytes.Length, CancellationToken.None).ConfigureAwait(false);
            offset += count;
        }
        while (offset < bytes.Length);
    });

    /// <summary>Closes with a status code and reason, as a server does on an error.</summary>
    public Task CloseAsync(WebSocketCloseStatus status, string description) =>
        Locked(() => Socket.CloseOutputAsync(status, description, CancellationToken.None));

    private async Task Locked(Func<Task> send)
    {
        await _sendLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (Socket.State == WebSocketState.Open)
            {
                await send().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection ended between the state check and the send (its handler disposed the socket): nobody to send to.
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
