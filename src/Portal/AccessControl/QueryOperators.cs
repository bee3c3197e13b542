using System.Globalization;

namespace Portal.AccessControl;

internal static class QueryOperators
{
    public const string AllQuoted = "'equal', 'not equal', 'present', 'absent', 'pattern', 'not pattern'";

    /// <summary>An empty operator defaults to <c>equal</c> when a value is given, else <c>present</c> (Authelia).</summary>
    public static bool TryParse(string? op, string? value, out QueryOperator result)
    {
        switch (op)
        {
            case null or "": result = value is null ? QueryOperator.Present : QueryOperator.Equal; return true;
            case "equal": result = QueryOperator.Equal; return true;
            case "not equal": result = QueryOperator.NotEqual; return true;
            case "present": result = QueryOperator.Present; return true;
            case "absent": result = QueryOperator.Absent; return true;
            case "pattern": result = QueryOperator.Pattern; return true;
            case "not pattern": result = QueryOperator.NotPattern; return true;
            default: result = default; return false;
        }
    }

    public static bool NeedsValue(QueryOperator op) => op is not (QueryOperator.Present or QueryOperator.Absent);
}
