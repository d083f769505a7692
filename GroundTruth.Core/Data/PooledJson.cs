using System.Buffers;
using System.Text.Json;

namespace GroundTruth.Core.Data;

/// <summary>
/// UTF-8 JSON written into arrays rented from the shared pool and returned on dispose (after the command that sends it
/// has run). A rescoring batch's <see cref="SqlDialect.JsonRows"/> are megabytes: built in a fresh growing buffer and
/// then copied into a string, each batch put a dozen arrays on the large-object heap, and those made the collector run a
/// full (gen 2) collection every other batch or so: 61 of 137 collections in a rescoring of 100,000 tasks.
/// </summary>
internal sealed class PooledJson : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _written;

    /// <summary>A <see cref="SqlDialect.JsonRows"/> value: an array of <paramref name="count"/> arrays, each written by <paramref name="row"/>.</summary>
    public static PooledJson Rows(int count, Action<Utf8JsonWriter, int> row)
    {
        var buffer = new PooledJson();
        try
        {
            using var json = new Utf8JsonWriter(buffer);
            json.WriteStartArray();
            for (var i = 0; i < count; i++)
            {
                json.WriteStartArray();
                row(json, i);
                json.WriteEndArray();
            }
            json.WriteEndArray();
            json.Flush();
            return buffer;
        }
        catch
        {
            // A row that cannot be written (a number JSON has no spelling for, say) must not keep the rented array.
            buffer.Dispose();
            throw;
        }
    }

    public ReadOnlyMemory<byte> Written => _buffer.AsMemory(0, _written);

    public void Advance(int count) => _written += count;

    public Memory<byte> GetMemory(int sizeHint = 0) => Reserve(sizeHint).AsMemory(_written);

    public Span<byte> GetSpan(int sizeHint = 0) => Reserve(sizeHint).AsSpan(_written);

    private byte[] Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed > _buffer.Length)
        {
            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            _buffer.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
        return _buffer;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _written = 0;
    }
}
