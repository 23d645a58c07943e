using Npgsql;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.AppHost.Dashboard;

/// <summary>
/// "Clients: set path…" on the Api: which path serves one client (a reporter id) of the compatibility endpoint, set while
/// the system runs. It writes the client's row in client_paths, in the report database itself, so there is no admin
/// endpoint on the Api to protect: whoever may write that database may switch clients. A trigger announces the change
/// and every Api instance hears it on its change feed within moments; requests already running finish on their path.
/// </summary>
public static class ClientPathCommands
{
    public const string Name = ResourceCommandNames.SetClientPath;
    public const string ClientArgument = "client";
    public const string PathArgument = "path";

    public static IResourceBuilder<ProjectResource> WithClientPathCommand(this IResourceBuilder<ProjectResource> api, IResourceBuilder<IResourceWithConnectionString> reportsDb) =>
        api.WithCommand(Name, "Clients: set path…", async context =>
        {
            var clientId = context.Arguments[ClientArgument].Value!.Trim();
            var path = Enum.Parse<ClientPath>(context.Arguments[PathArgument].Value!, ignoreCase: true);
            await using var connection = new NpgsqlConnection(await reportsDb.Resource.GetConnectionStringAsync(context.CancellationToken));
            await connection.OpenAsync(context.CancellationToken);
            await using var upsert = new NpgsqlCommand("""
                INSERT INTO client_paths ("ClientId", "Path", "UpdatedAt") VALUES (@client, @path, now())
                ON CONFLICT ("ClientId") DO UPDATE SET "Path" = excluded."Path", "UpdatedAt" = excluded."UpdatedAt"
                """, connection);
            upsert.Parameters.AddWithValue("client", clientId);
            upsert.Parameters.AddWithValue("path", path.ToString());
            await upsert.ExecuteNonQueryAsync(context.CancellationToken);
            return CommandResults.Success($"Client '{clientId}' is served on the {path.ToString().ToLowerInvariant()} path from now on.");
        }, new CommandOptions
        {
            IconName = "ArrowSwap",
            Description = "Which path serves one client of POST /api/reports/compat: as-is sync, the bridge (Kafka underneath, sync answer), or async.",
            Arguments =
            [
                new InteractionInput
                {
                    Name = ClientArgument,
                    Label = "Client (reporter id)",
                    InputType = InputType.Text,
                    Required = true,
                    MaxLength = ReportFieldLimits.ReporterIdMaxLength,
                },
                new InteractionInput
                {
                    Name = PathArgument,
                    Label = "Path",
                    InputType = InputType.Choice,
                    Required = true,
                    Options = [.. Enum.GetValues<ClientPath>().Select(path => KeyValuePair.Create(path.ToString(), path.ToString().ToLowerInvariant()))],
                    Value = nameof(ClientPath.Bridge),
                },
            ],
            ValidateArguments = context =>
            {
                var client = context.Inputs[ClientArgument];
                if (string.IsNullOrWhiteSpace(client.Value) || client.Value.Trim().Length > ReportFieldLimits.ReporterIdMaxLength)
                {
                    context.AddValidationError(client, $"1 to {ReportFieldLimits.ReporterIdMaxLength} characters: the reporterId the client sends.");
                }

                var path = context.Inputs[PathArgument];
                if (!Enum.TryParse<ClientPath>(path.Value, ignoreCase: true, out _))
                {
                    context.AddValidationError(path, "sync, bridge or async.");
                }

                return Task.CompletedTask;
            },
            UpdateState = context => context.ResourceSnapshot.State?.Text == KnownResourceStates.Running ? ResourceCommandState.Enabled : ResourceCommandState.Disabled,
        });
}
