using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using ReportPoc.Reports.Data;

namespace ReportPoc.UnitTests.Support;

/// <summary>
/// A throwaway PostgreSQL server for the tests where the database is the point (the LPRUN claim, row versions): the
/// server binaries from /usr/lib/postgresql, a new data directory under the temp folder, trust authentication on
/// 127.0.0.1 at a free port, the EF Core migrations applied; stopped and deleted after the tests. Started like
/// ReportPoc.AppHost/Infrastructure/local-postgres.sh starts local mode's server (as 'postgres' when run as root).
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string BinariesRoot = "/usr/lib/postgresql";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    private readonly List<string> _serverOutput = [];
    private DirectoryInfo? _root;
    private string _bin = "";
    private string _data = "";
    private Process? _server;

    public string ConnectionString { get; private set; } = "";

    public ReportsDbContext CreateContext() => new(new DbContextOptionsBuilder<ReportsDbContext>().UseNpgsql(ConnectionString).Options);

    public async ValueTask InitializeAsync()
    {
        _bin = Directory.Exists(BinariesRoot)
            ? Directory.GetDirectories(BinariesRoot).Select(version => Path.Combine(version, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "postgres"))).OrderByDescending(bin => bin, StringComparer.Ordinal).FirstOrDefault() ?? ""
            : "";
        if (_bin.Length == 0)
        {
            throw new InvalidOperationException(
                $"PostgreSQL's server binaries are missing (looked for {BinariesRoot}/*/bin/postgres). Run ./test.sh once: it installs them.");
        }

        _root = Directory.CreateTempSubdirectory("reportpoc-unit-pg-");
        _data = Path.Combine(_root.FullName, "data");
        if (Environment.IsPrivilegedProcess)
        {
            await RunAsync(Program("chown", ["postgres:postgres", _root.FullName])); // the server refuses to run as root
        }

        await RunAsync(ServerProgram("initdb",
            [$"--pgdata={_data}", "--username=postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]));

        var port = FreePort();
        _server = Start(ServerProgram("postgres",
            ["-D", _data, "-h", "127.0.0.1", "-p", port.ToString(), "-k", _data, "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]));
        ConnectionString = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = port, Username = "postgres", Database = "reports" }.ConnectionString;

        await WaitUntilAcceptingAsync();
        await using var db = CreateContext();
        await db.Database.MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_server is { HasExited: false })
        {
            try
            {
                await RunAsync(ServerProgram("pg_ctl", ["stop", $"--pgdata={_data}", "--mode=fast", "--wait"]));
            }
            finally
            {
                if (!_server.HasExited)
                {
                    _server.Kill(entireProcessTree: true);
                }
            }
        }

        _server?.Dispose();
        _root?.Delete(recursive: true);
    }

    private async Task WaitUntilAcceptingAsync()
    {
        var postgres = new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(postgres);
                await connection.OpenAsync();
                return;
            }
            catch (NpgsqlException) when (!_server!.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
            catch (NpgsqlException exception)
            {
                throw new InvalidOperationException($"PostgreSQL did not start: {exception.Message}\n{string.Join('\n', Output())}", exception);
            }
        }
    }

    private string[] Output()
    {
        lock (_serverOutput)
        {
            return [.. _serverOutput];
        }
    }

    private Process Start(ProcessStartInfo program)
    {
        var process = new Process { StartInfo = program };
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;

        void Keep(string? line)
        {
            lock (_serverOutput)
            {
                _serverOutput.Add(line ?? "");
            }
        }
    }

    private static async Task RunAsync(ProcessStartInfo program)
    {
        using var process = Process.Start(program)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{string.Join(' ', program.ArgumentList.Prepend(program.FileName))} failed ({process.ExitCode}): {await errors}{await output}");
        }
    }

    /// <summary>One of PostgreSQL's programs. They refuse to run as root: then they run as the 'postgres' account the package creates.</summary>
    private ProcessStartInfo ServerProgram(string name, IReadOnlyList<string> arguments) => Environment.IsPrivilegedProcess
        ? Program("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", Path.Combine(_bin, name), .. arguments])
        : Program(Path.Combine(_bin, name), arguments);

    private static ProcessStartInfo Program(string file, IReadOnlyList<string> arguments)
    {
        var program = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            program.ArgumentList.Add(argument);
        }

        return program;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
