using System.Globalization;

namespace GroundTruth.Core.Data;

/// <summary>Timestamps as EF Core's SQLite provider stores them (UTC text that sorts correctly), for hand-written SQL.</summary>
internal static class SqliteTime
{
    /// <summary>Now, in UTC, to the microsecond: the precision Label Studio's timestamps carry, so exports round-trip exactly.</summary>
    public static DateTime Now(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    public static string Format(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

    /// <summary>ISO 8601 as Label Studio writes it.</summary>
    public static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
