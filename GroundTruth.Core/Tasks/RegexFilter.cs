using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace GroundTruth.Core.Tasks;

/// <summary>
/// The regex filter's rules. Patterns run on .NET's non-backtracking engine, whose time is linear in the text, so a
/// nested quantifier such as <c>(a+)+$</c> costs what <c>a+$</c> does; constructs that need backtracking
/// (backreferences, lookarounds, atomic groups) are refused with a 400. A match that still overruns its budget fails
/// the whole query with a 400 naming the pattern — it never quietly counts as "no match".
/// </summary>
public static class RegexFilter
{
    public const int MaxPatternLength = 1000;

    /// <summary>Marks the SQLite error a match over budget raises, so that it reaches the user as a bad query.</summary>
    public const string OverBudget = "The regular expression took longer than";

    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(2);
    private static readonly ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    /// <summary>Why <paramref name="pattern"/> cannot be used, or null when it can.</summary>
    public static string? Problem(string pattern)
    {
        if (pattern.Length > MaxPatternLength)
        {
            return $"a regular expression may be at most {MaxPatternLength} characters long.";
        }
        try
        {
            Get(pattern);
            return null;
        }
        catch (NotSupportedException e)
        {
            return $"'{pattern}' uses a construct that needs backtracking (a backreference, lookaround or atomic group), which filters do not run: {e.Message}";
        }
        catch (ArgumentException e)
        {
            return $"'{pattern}' is not a valid regular expression: {e.Message}";
        }
    }

    /// <summary>Whether <paramref name="input"/> matches; null when either is null (SQL's NULL). Throws, naming the pattern, when over budget.</summary>
    public static bool? IsMatch(string? pattern, string? input)
    {
        if (pattern is null || input is null)
        {
            return null;
        }
        try
        {
            return Get(pattern).IsMatch(input);
        }
        catch (RegexMatchTimeoutException)
        {
            throw new InvalidOperationException($"{OverBudget} {Budget.TotalSeconds:0} s on one task's text: '{pattern}'. Make it simpler or more specific.");
        }
    }

    private static Regex Get(string pattern)
    {
        if (Compiled.Count > 1000)
        {
            Compiled.Clear();
        }
        return Compiled.GetOrAdd(pattern, p => new Regex(p, Options, Budget));
    }
}
