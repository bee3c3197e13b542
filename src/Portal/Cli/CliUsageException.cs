namespace Portal.Cli;

/// <summary>Bad arguments: reported as one line plus a pointer to the usage, exit code 1.</summary>
internal sealed class CliUsageException(string message) : Exception(message);
