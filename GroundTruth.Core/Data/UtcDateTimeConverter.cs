using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace GroundTruth.Core.Data;

/// <summary>Every timestamp is stored in UTC; this marks the ones EF reads back as UTC so they serialise with a Z.</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
