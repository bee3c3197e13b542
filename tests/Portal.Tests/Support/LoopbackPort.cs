using System.Net;
using System.Net.Sockets;

namespace Portal.Tests.Support;

internal static class LoopbackPort
{
    /// <summary>A port nothing listens on right now on 127.0.0.1 (the system picks it; it is free again at once).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
