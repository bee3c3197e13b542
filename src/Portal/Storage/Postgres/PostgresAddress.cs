using System.Globalization;
using Portal.Configuration;

namespace Portal.Storage.Postgres;

/// <summary>
/// <c>storage.postgres.address</c> read as Authelia writes it: <c>tcp://host:5432</c> (<c>tcp4</c>, <c>tcp6</c>; the port
/// defaults to 5432; a bare <c>host:port</c> is read as tcp), or <c>unix:///run/postgresql</c> — the directory of the
/// server's socket, or the socket file itself (<c>/run/postgresql/.s.PGSQL.5432</c>).
/// </summary>
internal sealed record PostgresAddress(string Host, int Port, bool IsUnixSocket)
{
    private const string SocketFilePrefix = ".s.PGSQL.";

    public static bool TryParse(string? value, out PostgresAddress address, out string error)
    {
        address = new PostgresAddress("", PostgresStorageOptions.DefaultPort, false);
        error = "";
        if (string.IsNullOrWhiteSpace(value))
        {
            error = "is required";
            return false;
        }
        var text = value.Trim();
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            text = "tcp://" + text;
        }
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            error = $"must be an address such as 'tcp://postgres:5432' or 'unix:///run/postgresql' ('{value}')";
            return false;
        }
        switch (uri.Scheme)
        {
            case "unix":
                var path = Uri.UnescapeDataString(uri.AbsolutePath);
                if (uri.Host.Length > 0 || !path.StartsWith('/') || path.Length < 2)
                {
                    error = $"must name an absolute socket path such as 'unix:///run/postgresql' ('{value}')";
                    return false;
                }
                var port = PostgresStorageOptions.DefaultPort;
                var file = Path.GetFileName(path);
                if (file.StartsWith(SocketFilePrefix, StringComparison.Ordinal))
                {
                    // Npgsql wants the directory and finds .s.PGSQL.<port> in it.
                    if (!int.TryParse(file[SocketFilePrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is < 1 or > 65535)
                    {
                        error = $"names a socket file whose port is not a number between 1 and 65535 ('{value}')";
                        return false;
                    }
                    path = Path.GetDirectoryName(path) ?? "/";
                }
                address = new PostgresAddress(path, port, true);
                return true;
            case "tcp" or "tcp4" or "tcp6":
                if (uri.IdnHost.Length == 0)
                {
                    error = $"must name a host, as in 'tcp://postgres:5432' ('{value}')";
                    return false;
                }
                if (uri.AbsolutePath is not ("/" or "") || uri.Query.Length > 0 || uri.UserInfo.Length > 0)
                {
                    error = $"must be only a scheme, a host and a port, as in 'tcp://postgres:5432' ('{value}')";
                    return false;
                }
                address = new PostgresAddress(
                    uri.HostNameType == UriHostNameType.IPv6 ? uri.IdnHost.Trim('[', ']') : uri.IdnHost,
                    uri.IsDefaultPort || uri.Port < 0 ? PostgresStorageOptions.DefaultPort : uri.Port,
                    false);
                return true;
            default:
                error = $"must use the 'tcp' or 'unix' scheme ('{value}')";
                return false;
        }
    }
}
