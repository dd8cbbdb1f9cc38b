using System.Net;
using System.Net.Sockets;

namespace JustGold.DocsTests.Infrastructure;

public static class FreePorts
{
    /// <summary>Ports on 127.0.0.1 that were free a moment ago, all different.</summary>
    public static int[] Take(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return [.. listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port)];
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }
}
