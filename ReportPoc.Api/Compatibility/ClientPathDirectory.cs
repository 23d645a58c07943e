using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Reports;
using ReportPoc.Reports.Data;

namespace ReportPoc.Api.Compatibility;

/// <summary>
/// The operators' per-client paths (table client_paths), held in memory and kept current by the change feed's
/// notifications, so choosing a path costs a request no query. While the feed is not listening (start-up, a lost
/// connection) a change could pass unheard, so each request reads its client's row instead, until the feed has
/// listened again and reloaded every row.
/// </summary>
public sealed class ClientPathDirectory(IOptions<CompatibilityOptions> options)
{
    private readonly ConcurrentDictionary<string, ClientPath> _paths = new(StringComparer.Ordinal);
    private volatile bool _current;

    public async Task<ClientPath> PathForAsync(string? clientId, ReportsDbContext db, CancellationToken cancellationToken)
    {
        if (clientId is null)
        {
            return options.Value.DefaultPath;
        }

        if (_current)
        {
            return _paths.TryGetValue(clientId, out var path) ? path : options.Value.DefaultPath;
        }

        var stored = await db.ClientPaths.AsNoTracking().FirstOrDefaultAsync(setting => setting.ClientId == clientId, cancellationToken);
        return stored?.Path ?? options.Value.DefaultPath;
    }

    /// <summary>The feed stopped listening: changes from now on may pass unheard.</summary>
    internal void MarkStale() => _current = false;

    /// <summary>Every row, read once the feed listens again.</summary>
    internal async Task ReloadAllAsync(ReportsDbContext db, CancellationToken cancellationToken)
    {
        var settings = await db.ClientPaths.AsNoTracking().ToDictionaryAsync(setting => setting.ClientId, setting => setting.Path, cancellationToken);
        foreach (var clientId in _paths.Keys.Where(clientId => !settings.ContainsKey(clientId)))
        {
            _paths.TryRemove(clientId, out _);
        }

        foreach (var (clientId, path) in settings)
        {
            _paths[clientId] = path;
        }

        _current = true;
    }

    /// <summary>One client's row, after a notification said it changed (or was deleted).</summary>
    internal async Task ReloadAsync(string clientId, ReportsDbContext db, CancellationToken cancellationToken)
    {
        var stored = await db.ClientPaths.AsNoTracking().FirstOrDefaultAsync(setting => setting.ClientId == clientId, cancellationToken);
        if (stored is null)
        {
            _paths.TryRemove(clientId, out _);
        }
        else
        {
            _paths[clientId] = stored.Path;
        }
    }
}
