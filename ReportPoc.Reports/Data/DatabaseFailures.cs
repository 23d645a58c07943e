using System.Net.Sockets;
using Npgsql;

namespace ReportPoc.Reports.Data;

public static class DatabaseFailures
{
    /// <summary>
    /// The database could not be reached or did not answer (down, restarting, out of connections): a state of the
    /// database, not of the report. Recognised anywhere in the exception chain, since EF Core wraps what Npgsql throws.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is NpgsqlException { IsTransient: true } or SocketException or TimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
