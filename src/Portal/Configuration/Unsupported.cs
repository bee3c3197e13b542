namespace Portal.Configuration;

internal sealed record Unsupported(bool IsError, string Message);
