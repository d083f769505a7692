namespace GroundTruth.Web.Api;

/// <summary>
/// Reads at most a number of bytes from a request body and then fails with a 413, whatever server hosts the app
/// (Kestrel's own limit does not apply under every host, nor to chunked bodies before they are read).
/// </summary>
internal sealed class MaxLengthStream(Stream inner, long maxBytes) : Stream
{
    private long _read;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _read; set => throw new NotSupportedException(); }

    public static BadHttpRequestException TooLarge(long maxBytes) =>
        new($"The import is larger than the limit of {maxBytes:N0} bytes (GroundTruth:MaxImportBytes).", StatusCodes.Status413PayloadTooLarge);

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken));

    public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Count(await inner.ReadAsync(buffer.AsMemory(offset, count), cancellationToken));

    private int Count(int read)
    {
        _read += read;
        return _read > maxBytes ? throw TooLarge(maxBytes) : read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
