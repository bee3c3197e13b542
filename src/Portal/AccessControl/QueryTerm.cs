using System.Net;
using System.Text.RegularExpressions;

namespace Portal.AccessControl;

internal sealed class QueryTerm(QueryOperator op, string key, string? value, Regex? pattern)
{
    public QueryOperator Operator { get; } = op;
    public string Key { get; } = key;

    /// <summary>Go's <c>Query().Get</c>: the first value, <c>""</c> when the key is absent.</summary>
    public bool IsMatch(IReadOnlyDictionary<string, string> query)
    {
        var present = query.TryGetValue(Key, out var actual);
        actual ??= "";
        return Operator switch
        {
            QueryOperator.Present => present,
            QueryOperator.Absent => !present,
            QueryOperator.Equal => string.Equals(actual, value, StringComparison.Ordinal),
            QueryOperator.NotEqual => !present || !string.Equals(actual, value, StringComparison.Ordinal),
            QueryOperator.Pattern => pattern!.IsMatch(actual),
            QueryOperator.NotPattern => !present || !pattern!.IsMatch(actual),
            _ => false,
        };
    }
}
