using System.Globalization;
using System.Text.Json;

namespace GroundTruth.Core.ImportExport;

/// <summary>
/// Validates one Label Studio task and extracts what the model keeps. Any problem is an <see cref="ImportException"/>
/// naming the item, the JSON path and the reason. Unknown fields inside results, data and meta are kept verbatim.
/// </summary>
internal sealed class LabelStudioTaskParser(ImportOptions options)
{
    public const string AnonymousEmail = "anonymous@import.local";

    // Fields this model owns or recomputes; any other field is kept verbatim in Extra and exported again.
    private static readonly HashSet<string> TaskFields =
        ["id", "data", "meta", "annotations", "predictions", "created_at", "updated_at", "inner_id", "project",
         "total_annotations", "cancelled_annotations", "total_predictions", "agreement"];
    private static readonly HashSet<string> AnnotationFields =
        ["id", "completed_by", "result", "was_cancelled", "ground_truth", "created_at", "updated_at", "lead_time", "task", "project", "result_count"];
    private static readonly HashSet<string> PredictionFields = ["id", "model_version", "score", "result", "created_at", "task", "project"];

    public (ImportedTask Task, bool Corrected) Parse(JsonElement task, int item, string path)
    {
        void Fail(string at, string detail) => throw new ImportException(item, at, detail);

        if (task.ValueKind != JsonValueKind.Object)
        {
            Fail(path, $"a task must be a JSON object, not {Describe(task)}.");
        }

        if (!task.TryGetProperty("data", out var data))
        {
            // Label Studio: a task without "data" is itself the data.
            return (new ImportedTask(null, task.GetRawText(), null, null, null, [], [], null), false);
        }
        if (data.ValueKind != JsonValueKind.Object)
        {
            Fail(path + ".data", $"data must be a JSON object, not {Describe(data)}.");
        }

        var meta = Optional(task, "meta");
        if (meta is { ValueKind: not JsonValueKind.Object })
        {
            Fail(path + ".meta", $"meta must be a JSON object, not {Describe(meta.Value)}.");
        }

        var annotations = new List<ImportedAnnotation>();
        foreach (var (annotation, at) in Items(task, "annotations", path, Fail))
        {
            annotations.Add(ParseAnnotation(annotation, at, Fail));
        }
        var predictions = new List<ImportedPrediction>();
        foreach (var (prediction, at) in Items(task, "predictions", path, Fail))
        {
            predictions.Add(ParsePrediction(prediction, at, Fail));
        }

        var corrected = KeepOneGroundTruth(annotations);
        var parsed = new ImportedTask(Id(task, path, Fail), data.GetRawText(), meta?.GetRawText(),
            Timestamp(task, "created_at", path, Fail), Timestamp(task, "updated_at", path, Fail), annotations, predictions, Extra(task, TaskFields, FileFields.Task));
        return (parsed, corrected);
    }

    /// <summary>
    /// Label Studio does not enforce one ground truth per task, and a cancelled annotation cannot be one here: keep the
    /// most recently updated usable ground truth (on a tie, the later one in the file). Returns whether anything changed.
    /// </summary>
    private static bool KeepOneGroundTruth(List<ImportedAnnotation> annotations)
    {
        var flagged = annotations.Where(a => a.GroundTruth).ToList();
        var usable = flagged.Where(a => !a.WasCancelled).ToList();
        var keep = usable
            .Select((a, i) => (a, i))
            .OrderByDescending(x => x.a.UpdatedAt ?? x.a.CreatedAt ?? DateTime.MinValue)
            .ThenByDescending(x => x.i)
            .Select(x => x.a)
            .FirstOrDefault();
        if (keep is not null)
        {
            keep.KeepsGroundTruth = true;
        }
        return flagged.Count > (keep is null ? 0 : 1);
    }

    private ImportedAnnotation ParseAnnotation(JsonElement annotation, string path, Action<string, string> fail)
    {
        if (annotation.ValueKind != JsonValueKind.Object)
        {
            fail(path, $"an annotation must be a JSON object, not {Describe(annotation)}.");
        }
        var (email, name) = CompletedBy(annotation, path, fail);
        return new ImportedAnnotation(
            Id(annotation, path, fail),
            email,
            name,
            Result(annotation, path, fail),
            Bool(annotation, "was_cancelled", path, fail),
            Bool(annotation, "ground_truth", path, fail),
            Timestamp(annotation, "created_at", path, fail),
            Timestamp(annotation, "updated_at", path, fail),
            Number(annotation, "lead_time", path, fail),
            Extra(annotation, AnnotationFields, FileFields.Annotation));
    }

    private static ImportedPrediction ParsePrediction(JsonElement prediction, string path, Action<string, string> fail)
    {
        if (prediction.ValueKind != JsonValueKind.Object)
        {
            fail(path, $"a prediction must be a JSON object, not {Describe(prediction)}.");
        }
        var version = Optional(prediction, "model_version") switch
        {
            null => "undefined",
            { ValueKind: JsonValueKind.String } v => v.GetString()!,
            { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
            var v => Throw<string>(fail, path + ".model_version", $"model_version must be a string, not {Describe(v.Value)}."),
        };
        return new ImportedPrediction(Id(prediction, path, fail), version, Number(prediction, "score", path, fail),
            Result(prediction, path, fail), Timestamp(prediction, "created_at", path, fail), Extra(prediction, PredictionFields, FileFields.Prediction));
    }

    private (string Email, string Name) CompletedBy(JsonElement annotation, string path, Action<string, string> fail)
    {
        var at = path + ".completed_by";
        var value = Optional(annotation, "completed_by");
        switch (value)
        {
            case null:
                return (AnonymousEmail, "Anonymous");
            case { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var id):
                return Mapped(id);
            case { ValueKind: JsonValueKind.Object } v:
                var email = Optional(v, "email");
                if (email is { ValueKind: JsonValueKind.String } && EmailAddresses.Normalize(email.Value.GetString()) is var address && EmailAddresses.IsValid(address))
                {
                    var first = Optional(v, "first_name") is { ValueKind: JsonValueKind.String } f ? f.GetString() : null;
                    var last = Optional(v, "last_name") is { ValueKind: JsonValueKind.String } l ? l.GetString() : null;
                    var name = $"{first} {last}".Trim();
                    return (address, name.Length > 0 ? name : address.Split('@')[0]);
                }
                if (email is not null)
                {
                    fail(at + ".email", $"email {EmailAddresses.Problem}, not {Describe(email.Value)}.");
                }
                if (Optional(v, "id") is { ValueKind: JsonValueKind.Number } objectId && objectId.TryGetInt64(out var userId))
                {
                    return Mapped(userId);
                }
                fail(at, "completed_by needs an email or an integer id.");
                break;
            default:
                fail(at, $"completed_by must be a user id or an object with an email, not {Describe(value.Value)}.");
                break;
        }
        return default;
    }

    private (string Email, string Name) Mapped(long id)
    {
        if (options.UserEmails is { } map && map.TryGetValue(id, out var email))
        {
            var address = EmailAddresses.Normalize(email);
            return (address, address.Split('@')[0]);
        }
        return ($"user{id.ToString(CultureInfo.InvariantCulture)}@import.local", $"User {id.ToString(CultureInfo.InvariantCulture)}");
    }

    private static string Result(JsonElement owner, string path, Action<string, string> fail)
    {
        var at = path + ".result";
        var result = Optional(owner, "result");
        if (result is null)
        {
            return "[]";
        }
        if (result.Value.ValueKind != JsonValueKind.Array)
        {
            fail(at, $"result must be a list, not {Describe(result.Value)}.");
        }
        var i = 0;
        foreach (var region in result.Value.EnumerateArray())
        {
            var regionPath = $"{at}[{i++}]";
            if (region.ValueKind != JsonValueKind.Object)
            {
                fail(regionPath, $"a result item must be a JSON object, not {Describe(region)}.");
            }
            var type = Optional(region, "type");
            if (type is not { ValueKind: JsonValueKind.String })
            {
                fail(regionPath + ".type", "a result item needs a string type.");
            }
            if (type!.Value.GetString() == "relation")
            {
                continue; // relations link two regions by id and have neither from_name nor value
            }
            if (Optional(region, "from_name") is not { ValueKind: JsonValueKind.String })
            {
                fail(regionPath + ".from_name", "a result item needs a string from_name.");
            }
            if (Optional(region, "value") is not { ValueKind: JsonValueKind.Object })
            {
                fail(regionPath + ".value", "a result item needs an object value.");
            }
        }
        return result.Value.GetRawText();
    }

    private static IEnumerable<(JsonElement Item, string Path)> Items(JsonElement task, string name, string path, Action<string, string> fail)
    {
        var list = Optional(task, name);
        if (list is null)
        {
            yield break;
        }
        if (list.Value.ValueKind != JsonValueKind.Array)
        {
            fail($"{path}.{name}", $"{name} must be a list, not {Describe(list.Value)}.");
        }
        var i = 0;
        foreach (var element in list.Value.EnumerateArray())
        {
            yield return (element, $"{path}.{name}[{i++}]");
        }
    }

    private static long? Id(JsonElement owner, string path, Action<string, string> fail) => Optional(owner, "id") switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var id) => id,
        var v => Throw<long?>(fail, path + ".id", $"id must be an integer, not {Describe(v.Value)}."),
    };

    private static bool Bool(JsonElement owner, string name, string path, Action<string, string> fail) => Optional(owner, name) switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        var v => Throw<bool>(fail, $"{path}.{name}", $"{name} must be true or false, not {Describe(v.Value)}."),
    };

    private static double? Number(JsonElement owner, string name, string path, Action<string, string> fail) => Optional(owner, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when double.IsFinite(v.GetDouble()) => v.GetDouble(),
        var v => Throw<double?>(fail, $"{path}.{name}", $"{name} must be a number, not {Describe(v.Value)}."),
    };

    private static DateTime? Timestamp(JsonElement owner, string name, string path, Action<string, string> fail)
    {
        var value = Optional(owner, name);
        if (value is null)
        {
            return null;
        }
        if (value.Value.ValueKind == JsonValueKind.String &&
            DateTimeOffset.TryParse(value.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return parsed.UtcDateTime;
        }
        fail($"{path}.{name}", $"{name} must be an ISO 8601 timestamp such as 2025-02-17T07:58:31.402115Z, not {Describe(value.Value)}.");
        return null;
    }

    /// <summary>The object's fields outside <paramref name="known"/>, as a JSON object of their raw values; null if there are none.</summary>
    /// <summary>The fields this model does not know, and those of <paramref name="kept"/> it owns but keeps as the file said them.</summary>
    private static string? Extra(JsonElement owner, HashSet<string> known, IReadOnlySet<string> kept)
    {
        bool Keeps(JsonProperty p) => !known.Contains(p.Name) || kept.Contains(p.Name);
        if (!owner.EnumerateObject().Any(Keeps))
        {
            return null;
        }
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var property in owner.EnumerateObject().Where(Keeps))
            {
                json.WritePropertyName(property.Name);
                json.WriteRawValue(property.Value.GetRawText(), skipInputValidation: true);
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The property, or null when it is missing or JSON null.</summary>
    private static JsonElement? Optional(JsonElement owner, string name) =>
        owner.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    private static T Throw<T>(Action<string, string> fail, string path, string detail)
    {
        fail(path, detail);
        return default!;
    }

    private static string Describe(JsonElement value)
    {
        var text = value.GetRawText();
        return $"{value.ValueKind.ToString().ToLowerInvariant()} {(text.Length > 40 ? text[..40] + "…" : text)}";
    }
}
