using System.Globalization;
using System.Text;
using System.Text.Json;
using GroundTruth.Core.Data;

namespace GroundTruth.Core.Tasks;

/// <summary>
/// The SQL of a task query: what it reads (<see cref="From"/>: <c>tasks t</c>, joined to its score sheet <c>s</c> when a
/// filter or the order needs one of the sheet's columns), a WHERE, an ORDER BY (and its keys), and the parameter values.
/// </summary>
public sealed record CompiledTaskQuery(string From, string Where, IReadOnlyList<SortKey> Keys, IReadOnlyList<KeyValuePair<string, object?>> Parameters)
{
    public const string Tasks = "tasks t";
    public const string TasksWithSheets = "tasks t JOIN score_sheets s ON s.task_id = t.id";

    public string OrderBy => string.Join(", ", Keys.Select(k => k.Sql + (k.Descending ? " DESC" : " ASC")));
}

/// <summary>One ORDER BY key: a column of <c>tasks t</c> or <c>score_sheets s</c> (or a JSON extract of the task's data) and its direction.</summary>
public sealed record SortKey(string Sql, bool Descending);

/// <summary>
/// Turns a Label Studio query and selection into SQL. This is the one code path that resolves a selection, for the
/// grid, the API and the bulk actions alike. Column names are looked up in <see cref="TaskColumns"/> and never copied into SQL;
/// every value, including a <c>data.&lt;key&gt;</c> key, travels as a parameter.
/// </summary>
public static class TaskQueryCompiler
{
    private const string FilterPrefix = "filter:tasks:";

    private static readonly string[] Comparisons = ["equal", "not_equal", "less", "greater", "less_or_equal", "greater_or_equal", "in", "not_in"];

    private static readonly Dictionary<TaskColumnKind, (string[] Types, string[] Operators)> Allowed = new()
    {
        [TaskColumnKind.Number] = (["Number"], [.. Comparisons, "empty"]),
        [TaskColumnKind.Boolean] = (["Boolean"], ["equal", "not_equal"]),
        [TaskColumnKind.Datetime] = (["Datetime"], [.. Comparisons, "empty"]),
        [TaskColumnKind.Members] = (["List"], ["contains", "not_contains", "equal", "not_equal", "empty"]),
        [TaskColumnKind.Strings] = (["List"], ["contains", "not_contains", "empty"]),
        [TaskColumnKind.Text] = (["String"], ["contains", "not_contains"]),
        [TaskColumnKind.Data] = (["String", "Number"], ["equal", "not_equal", "contains", "not_contains", "regex", "empty", "less", "greater", "less_or_equal", "greater_or_equal", "in", "not_in"]),
    };

    public static IReadOnlyCollection<string> ColumnNames => [.. TaskColumns.Filterable.Select(c => c.Name), "data.<key>"];

    /// <summary>The columns a filter can name, each with its value type and operators, for a filter builder.</summary>
    public static IReadOnlyList<FilterColumn> FilterColumns { get; } =
        [.. TaskColumns.Filterable.Select(c => new FilterColumn(c.Name, c.Title, Allowed[c.Kind].Types[0], Allowed[c.Kind].Operators, c.Percent,
            c.Kind == TaskColumnKind.Members))];

    /// <summary>The filter column of one key of the task data, e.g. <c>data.text</c>.</summary>
    public static FilterColumn DataColumn(string key) => new("data." + key, "Data: " + key, "String", Allowed[TaskColumnKind.Data].Operators);

    /// <summary>Throws a <see cref="TaskQueryException"/> naming the problem if filter row <paramref name="index"/> (from 0) cannot be compiled.</summary>
    public static void Check(int index, TaskFilterItem? item) => CompileItem(Data.Sqlite.SqliteDialect.Instance, index, item, _ => "@unused", sql => sql);

    /// <summary>Throws a <see cref="TaskQueryException"/> naming the problem if an ordering entry cannot be compiled.</summary>
    public static void CheckOrdering(string entry) => CompileOrdering(Data.Sqlite.SqliteDialect.Instance, [entry], _ => "@unused");

    /// <summary>The SQL of the first sort key when it is an indexed column other than id; null otherwise.</summary>
    private static string? FirstSortColumn(IReadOnlyList<string>? ordering)
    {
        var first = ordering is { Count: > 0 } ? ordering[0].TrimStart('-') : "";
        return first.StartsWith("tasks:", StringComparison.Ordinal) && TaskColumns.Find(first["tasks:".Length..]) is { Sortable: true } column && first != "tasks:id" ? column.Sql : null;
    }

    /// <summary>
    /// Whether the project's totals tell how many tasks a (compiled, so valid) query matches: it filters by nothing but
    /// the ground truth — the page's quick filter, or a single Label Studio item on <c>ground_truth</c>, as scripts send
    /// it — and <paramref name="groundTruth"/> is that filter's value (null: no filter).
    /// </summary>
    public static bool CountedByTotals(TaskQuery? query, out bool? groundTruth)
    {
        groundTruth = query?.GroundTruth;
        var items = query?.Filters?.Items ?? [];
        if (items.Count == 0)
        {
            return true;
        }
        if (items is not [{ Filter: "filter:tasks:ground_truth", Operator: "equal" or "not_equal" } item] || item.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return false;
        }
        var filtered = item.Value.GetBoolean() == (item.Operator == "equal");
        if (groundTruth is { } quick && quick != filtered)
        {
            return false;
        }
        groundTruth = filtered;
        return true;
    }

    /// <param name="walkOrderIndex">
    /// Many tasks match (the caller counted them): keep the filters off their indexes (a unary <c>+</c>) so that SQLite
    /// walks the first sort column's (project, column, id) index and stops after a page, instead of collecting every
    /// match through a filter's index and sorting them all. Without statistics SQLite cannot tell the two cases apart.
    /// Only when the first sort key is an indexed column other than id.
    /// </param>
    public static CompiledTaskQuery Compile(SqlDialect dialect, long projectId, TaskQuery? query, TaskSelection? selection = null, bool walkOrderIndex = false)
    {
        var parameters = new List<KeyValuePair<string, object?>>();
        string Param(object? value)
        {
            var name = "@q" + parameters.Count.ToString(CultureInfo.InvariantCulture);
            parameters.Add(new(name, value));
            return name;
        }

        var orderedBy = walkOrderIndex ? FirstSortColumn(query?.Ordering) : null;
        string Indexed(string sql) => orderedBy is not null && sql != orderedBy && (sql.StartsWith("t.", StringComparison.Ordinal) || sql.StartsWith("s.", StringComparison.Ordinal))
            ? dialect.Unindexed(sql) : sql;

        var items = query?.Filters?.Items ?? [];
        var keys = CompileOrdering(dialect, query?.Ordering, Param);
        // The sheet is joined only when something reads it: a count over many tasks then costs no lookup a task. Its
        // project is named too, for the sheet's (project, column, task) indexes; when walking an index, only that
        // index's table keeps its project condition indexed.
        var onSheet = query?.GroundTruth is not null || keys.Any(k => k.Sql.StartsWith("s.", StringComparison.Ordinal))
            || items.Any(i => i?.Filter is { } f && f.StartsWith(FilterPrefix, StringComparison.Ordinal) && TaskColumns.Find(f[FilterPrefix.Length..]) is { OnSheet: true });
        var project = Param(projectId);
        var where = new StringBuilder(orderedBy?.StartsWith("s.", StringComparison.Ordinal) == true ? dialect.Unindexed("t.project_id") : "t.project_id").Append(" = ").Append(project);
        if (onSheet)
        {
            where.Append(" AND ").Append(orderedBy?.StartsWith("t.", StringComparison.Ordinal) == true ? dialect.Unindexed("s.project_id") : "s.project_id").Append(" = ").Append(project);
        }
        if (query?.GroundTruth is { } groundTruth)
        {
            where.Append(" AND ").Append(Indexed("s.has_ground_truth")).Append(" = ").Append(groundTruth ? "TRUE" : "FALSE");
        }
        if (items.Count > 0)
        {
            var conjunction = (query!.Filters!.Conjunction ?? "and").ToLowerInvariant() switch
            {
                "and" => " AND ",
                "or" => " OR ",
                var other => throw new TaskQueryException($"Unknown conjunction '{other}'. Allowed: and, or."),
            };
            where.Append(" AND (");
            for (var i = 0; i < items.Count; i++)
            {
                if (i > 0)
                {
                    where.Append(conjunction);
                }
                where.Append('(').Append(CompileItem(dialect, i, items[i], Param, Indexed)).Append(')');
            }
            where.Append(')');
        }

        if (selection is not null)
        {
            if (selection.All)
            {
                if (selection.Excluded is { Count: > 0 } excluded)
                {
                    where.Append(" AND t.id NOT IN (").Append(dialect.IdList(Param(dialect.Ids(excluded)))).Append(')');
                }
            }
            else if (selection.Included is { Count: > 0 } included)
            {
                where.Append(" AND t.id IN (").Append(dialect.IdList(Param(dialect.Ids(included)))).Append(')');
            }
            else
            {
                where.Append(" AND FALSE");
            }
        }

        return new CompiledTaskQuery(onSheet ? CompiledTaskQuery.TasksWithSheets : CompiledTaskQuery.Tasks, where.ToString(), keys, parameters);
    }

    private static List<SortKey> CompileOrdering(SqlDialect dialect, IReadOnlyList<string>? ordering, Func<object?, string> param)
    {
        var keys = new List<SortKey>();
        var hasId = false;
        foreach (var entry in ordering ?? [])
        {
            if (entry is null)
            {
                throw new TaskQueryException($"An ordering entry is empty. Use tasks:<column> or -tasks:<column> with a column from: {SortableList()}.");
            }
            var descending = entry.StartsWith('-');
            var name = descending ? entry[1..] : entry;
            if (!name.StartsWith("tasks:", StringComparison.Ordinal))
            {
                throw new TaskQueryException($"Unknown ordering '{entry}'. Use tasks:<column> or -tasks:<column> with a column from: {SortableList()}.");
            }
            name = name["tasks:".Length..];
            string sql;
            if (TryDataKey(name, out var key))
            {
                sql = dialect.DataValue(param(dialect.DataKey(key)), text: false);
            }
            else if (TaskColumns.Find(name) is { Sortable: true } column)
            {
                sql = column.Sql;
                hasId |= name == "id";
            }
            else
            {
                throw new TaskQueryException($"Cannot order by '{name}'. Sortable columns: {SortableList()}.");
            }
            keys.Add(new SortKey(sql, descending));
        }
        if (!hasId)
        {
            // Ties are broken by id in the direction of the first key, so that a (project, column, id) index serves the whole
            // ORDER BY: the sheet's own task id after one of its columns, for its (project, column, task) index.
            var onSheet = keys.Count > 0 && keys[0].Sql.StartsWith("s.", StringComparison.Ordinal);
            keys.Add(new SortKey(onSheet ? "s.task_id" : "t.id", keys.Count > 0 && keys[0].Descending));
        }
        return keys;
    }

    private static string SortableList() => string.Join(", ", TaskColumns.Filterable.Where(c => c.Sortable).Select(c => c.Name).Append("data.<key>"));

    private static string CompileItem(SqlDialect dialect, int index, TaskFilterItem? item, Func<object?, string> param, Func<string, string> indexed)
    {
        if (item is null)
        {
            throw new TaskQueryException($"Filter {index + 1} is empty: send {{\"filter\", \"operator\", \"type\", \"value\"}}.");
        }
        var filter = item.Filter ?? "";
        string Where() => $"Filter {index + 1} ('{filter}')";
        const string prefix = FilterPrefix;
        if (!filter.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new TaskQueryException($"{Where()}: a filter is named filter:tasks:<column>, with a column from: {string.Join(", ", ColumnNames)}.");
        }
        var name = filter[prefix.Length..];
        TaskColumn column;
        if (TryDataKey(name, out var key))
        {
            // For data, the column's SQL is the parameter naming the key; the dialect reads it as a value or as text.
            column = new TaskColumn(name, name, TaskColumnKind.Data, param(dialect.DataKey(key)));
        }
        else if (TaskColumns.Find(name) is { } known)
        {
            column = known with { Sql = indexed(known.Sql) };
        }
        else
        {
            throw new TaskQueryException($"{Where()}: unknown column '{name}'. Allowed: {string.Join(", ", ColumnNames)}.");
        }

        var (types, operators) = Allowed[column.Kind];
        if (!types.Contains(item.Type, StringComparer.Ordinal))
        {
            throw new TaskQueryException($"{Where()}: unknown value type '{item.Type}' for this column. Allowed: {string.Join(", ", types)}.");
        }
        var op = item.Operator ?? "";
        if (!operators.Contains(op, StringComparer.Ordinal))
        {
            throw new TaskQueryException($"{Where()}: unknown operator '{op}' for this column. Allowed: {string.Join(", ", operators)}.");
        }
        // Values arrive from URLs and bodies; a lone surrogate in one must read as U+FFFD, not throw when read.
        var value = UnicodeRepair.Repair(item.Value, out _);

        if (op == "empty")
        {
            var empty = ReadBool(value, Where());
            var none = column.Kind switch
            {
                TaskColumnKind.Data => $"{dialect.DataText(column.Sql)} IS NULL OR {dialect.DataText(column.Sql)} = ''",
                _ => column.Empty ?? $"{column.Sql} IS NULL",
            };
            return (empty ? "" : "NOT ") + $"({none})";
        }

        switch (column.Kind)
        {
            case TaskColumnKind.Boolean:
                var flag = ReadBool(value, Where());
                return $"{column.Sql} = {(flag == (op == "equal") ? "TRUE" : "FALSE")}";
            case TaskColumnKind.Members:
                var member = value.ValueKind switch
                {
                    JsonValueKind.Number when value.TryGetInt64(out var id) => $"a.member_id = {param(id)}",
                    JsonValueKind.String => $"a.member_id = (SELECT m.id FROM members m WHERE m.email = {param(EmailAddresses.Normalize(value.GetString()))})",
                    _ => throw new TaskQueryException($"{Where()}: the value must be a member id (number) or an email (string)."),
                };
                return Exists(column, member, op is "contains" or "equal");
            case TaskColumnKind.Strings:
                return Exists(column, param(ReadText(value, Where())), op == "contains");
            case TaskColumnKind.Text:
                return Exists(column, param("%" + EscapeLike(ReadText(value, Where()).ToLowerInvariant()) + "%"), op == "contains");
            case TaskColumnKind.Data when op is "contains" or "not_contains":
                var needle = param("%" + EscapeLike(ReadText(value, Where()).ToLowerInvariant()) + "%");
                return $"{(op == "not_contains" ? "NOT " : "")}COALESCE(lower({dialect.DataText(column.Sql)}) LIKE {needle} ESCAPE '\\', FALSE)";
            case TaskColumnKind.Data when op == "regex":
                var pattern = ReadText(value, Where());
                if (RegexFilter.Problem(pattern) is { } problem)
                {
                    throw new TaskQueryException($"{Where()}: {problem}");
                }
                return dialect.Matches(dialect.DataText(column.Sql), param(pattern));
            default:
                return Comparison(dialect, column, item.Type, op, value, Where(), param);
        }
    }

    private static string Exists(TaskColumn column, string argument, bool holds) =>
        (holds ? "" : "NOT ") + $"EXISTS ({string.Format(CultureInfo.InvariantCulture, column.Sql, argument)})";

    private static string Comparison(SqlDialect dialect, TaskColumn column, string type, string op, JsonElement value, string where, Func<object?, string> param)
    {
        var text = column.Kind == TaskColumnKind.Data && type == "String";
        var operand = column.Kind == TaskColumnKind.Data ? dialect.DataValue(column.Sql, text) : column.Sql;
        string Argument(object? v) => column.Kind == TaskColumnKind.Data ? dialect.DataArgument(param(v), text) : param(v);
        object? Read(JsonElement v) => column.Kind switch
        {
            TaskColumnKind.Datetime => ReadDate(v, where),
            TaskColumnKind.Data when type == "String" => ReadText(v, where),
            _ => ReadNumber(v, where),
        };

        if (op is "in" or "not_in")
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("min", out var min) || !value.TryGetProperty("max", out var max))
            {
                throw new TaskQueryException($"{where}: operator '{op}' takes a value {{\"min\": .., \"max\": ..}}.");
            }
            var between = $"{operand} BETWEEN {Argument(Read(min))} AND {Argument(Read(max))}";
            return op == "in" ? between : $"NOT ({between})";
        }
        var sqlOp = op switch
        {
            "equal" => "=",
            "not_equal" => "<>",
            "less" => "<",
            "greater" => ">",
            "less_or_equal" => "<=",
            _ => ">=",
        };
        var compared = $"{operand} {sqlOp} {Argument(Read(value))}";
        // A task whose data lacks the key is "not equal" to anything.
        return op == "not_equal" && column.Kind == TaskColumnKind.Data ? $"({operand} IS NULL OR {compared})" : compared;
    }

    private static bool TryDataKey(string name, out string key)
    {
        key = name.StartsWith("data.", StringComparison.Ordinal) ? name["data.".Length..] : "";
        return key.Length > 0;
    }

    /// <summary>A LIKE pattern's literal text: its wildcards and the escape character escaped.</summary>
    private static string EscapeLike(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);

    private static bool ReadBool(JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new TaskQueryException($"{where}: the value must be true or false."),
    };

    /// <summary>A finite number, given as one or as its text: NaN and infinities compare with nothing, so they are refused.</summary>
    private static double ReadNumber(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var n) && double.IsFinite(n) ? n
        : value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d
        : throw new TaskQueryException($"{where}: the value must be a finite number, not {Describe(value)}.");

    private static string Describe(JsonElement value) => value.ValueKind == JsonValueKind.Undefined ? "nothing"
        : value.GetRawText() is var text && text.Length > 40 ? text[..40] + "…" : value.GetRawText();

    private static string ReadText(JsonElement value, string where) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetRawText(),
        _ => throw new TaskQueryException($"{where}: the value must be a string."),
    };

    private static DateTime ReadDate(JsonElement value, string where) =>
        value.ValueKind == JsonValueKind.String && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date.UtcDateTime
            : throw new TaskQueryException($"{where}: the value must be a date and time such as 2025-01-31T12:00:00Z.");
}
