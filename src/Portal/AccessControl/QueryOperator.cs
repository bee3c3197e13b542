using System.Globalization;

namespace Portal.AccessControl;

internal enum QueryOperator
{
    Equal,
    NotEqual,
    Present,
    Absent,
    Pattern,
    NotPattern,
}
