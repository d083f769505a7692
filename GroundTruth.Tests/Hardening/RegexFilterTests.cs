using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using GroundTruth.Core;
using GroundTruth.Core.Accounts;
using GroundTruth.Core.Data;
using GroundTruth.Core.Tasks;
using GroundTruth.Tests.Support;
using Microsoft.Data.Sqlite;

namespace GroundTruth.Tests.Hardening;

/// <summary>
/// Regex filters cannot be used to tie up the server: nested quantifiers over long texts run in linear time and give
/// the exact count; constructs that need backtracking are refused by name; a match over budget is an error, never a
/// silent "no match".
/// </summary>
public sealed class RegexFilterTests : IAsyncLifetime
{
    private const int Tasks = 300;
    private readonly TestDatabase _db = new();
    private long _project;

    public async Task InitializeAsync()
    {
        await _db.InitializeAsync();
        _project = await _db.NewProjectAsync();
        // Every other text ends in '!': the classic input on which a backtracking engine tries every split of the a's.
        var tasks = new JsonArray();
        for (var i = 0; i < Tasks; i++)
        {
            tasks.Add(new JsonObject { ["data"] = new JsonObject { ["text"] = new string('a', 2000 + i) + (i % 2 == 0 ? "!" : "") } });
        }
        await _db.ImportAsync(_project, tasks.ToJsonString());
    }

    public Task DisposeAsync() => _db.DisposeAsync();

    private static TaskQuery Regex(string pattern) => new(new TaskFilters("and",
        [new TaskFilterItem("filter:tasks:data.text", "regex", "String", JsonSerializer.SerializeToElement(pattern))]));

    [Theory]
    [InlineData("(a+)+$", Tasks / 2)]
    [InlineData("(a|aa)+$", Tasks / 2)]
    [InlineData("^(a|a?)+$", Tasks / 2)]
    [InlineData("(.*a){12}!", Tasks / 2)]
    [InlineData(@"^(\w+\s?)*$", Tasks / 2)]
    [InlineData("(a*)*b", 0)]
    [InlineData("a{200}", Tasks)]
    public async Task Nested_quantifiers_over_long_texts_answer_quickly_with_the_exact_count(string pattern, int expected)
    {
        var clock = Stopwatch.StartNew();
        var page = await _db.Tasks.GetPageAsync(Actor.System, _project, Regex(pattern), 1, 10);
        clock.Stop();

        Assert.Equal(expected, page.Total);
        // Not a speed target: a guard against the backtracking blow-up, which took 20 s over 50 texts of 40 characters.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{pattern}: {clock.Elapsed.TotalMilliseconds:0} ms");
    }

    [Theory]
    [InlineData(@"(a)\1", "backreference")]
    [InlineData("a(?=!)", "backreference")]
    [InlineData("(?<=a)!", "backreference")]
    [InlineData("(?>a+)!", "backreference")]
    [InlineData("(a", "not a valid regular expression")]
    [InlineData("[z-a]", "not a valid regular expression")]
    public async Task Patterns_that_need_backtracking_or_do_not_parse_are_refused_naming_the_filter(string pattern, string reason)
    {
        var error = await Assert.ThrowsAsync<TaskQueryException>(() => _db.Tasks.GetPageAsync(Actor.System, _project, Regex(pattern), 1, 10));

        Assert.StartsWith("Filter 1 ('filter:tasks:data.text')", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pattern_over_a_thousand_characters_is_refused()
    {
        var error = await Assert.ThrowsAsync<TaskQueryException>(() => _db.Tasks.GetPageAsync(Actor.System, _project, Regex(new string('a', 1001)), 1, 10));
        Assert.Contains("at most 1000 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_match_over_budget_fails_the_query_as_a_bad_request_instead_of_counting_as_no_match()
    {
        // What SQLite reports when gt_regexp throws: the function's message inside its own error text.
        var fault = new SqliteException($"SQLite Error 1: '{RegexFilter.OverBudget} 2 s on one task's text: '(a+)+$'. Make it simpler or more specific.'.", 1);

        var error = UserFacingException.From(fault);

        Assert.IsType<TaskQueryException>(error);
        Assert.StartsWith(RegexFilter.OverBudget, error.Message, StringComparison.Ordinal);
        Assert.Contains("(a+)+$", error.Message, StringComparison.Ordinal);
        Assert.Null(StorageFaults.Translate(new SqliteException("SQLite Error 1: 'no such column'.", 1)));
    }

    [Fact]
    public void A_pattern_postgres_cannot_run_is_a_bad_request_naming_why()
    {
        // PostgreSQL's engine allows at most 255 repetitions (a{2000} is fine for .NET): its error reaches users as a 400.
        var fault = new Npgsql.PostgresException("invalid regular expression: invalid repetition count(s)", "ERROR", "ERROR", Npgsql.PostgresErrorCodes.InvalidRegularExpression);

        var error = UserFacingException.From(fault);

        Assert.IsType<TaskQueryException>(error);
        Assert.Contains("invalid repetition count", error.Message, StringComparison.Ordinal);
    }
}
