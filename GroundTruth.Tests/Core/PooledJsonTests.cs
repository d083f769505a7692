using System.Buffers;
using System.Text;
using GroundTruth.Core.Data;

namespace GroundTruth.Tests.Core;

public class PooledJsonTests
{
    [Fact]
    public void Rows_are_one_JSON_array_of_arrays()
    {
        using var rows = PooledJson.Rows(2, (json, i) =>
        {
            json.WriteNumberValue(i + 1);
            json.WriteStringValue(i == 0 ? "a \"quoted\" label" : "é");
        });

        Assert.Equal("""[[1,"a \u0022quoted\u0022 label"],[2,"\u00E9"]]""", Encoding.UTF8.GetString(rows.Written.Span));
    }

    [Fact]
    public void A_row_that_cannot_be_written_fails_the_value_and_gives_its_buffer_back()
    {
        // The pool hands a thread the array it last returned: rent and return one, and Rows writes into that one.
        var pooled = ArrayPool<byte>.Shared.Rent(64 * 1024);
        ArrayPool<byte>.Shared.Return(pooled);

        // JSON has no spelling for NaN: the writer refuses it, and the caller hears of it rather than getting half the rows.
        Assert.Throws<ArgumentException>(() => PooledJson.Rows(3, (json, i) => json.WriteNumberValue(i == 1 ? double.NaN : i)));

        var next = ArrayPool<byte>.Shared.Rent(64 * 1024);
        ArrayPool<byte>.Shared.Return(next);
        Assert.Same(pooled, next);
    }
}
