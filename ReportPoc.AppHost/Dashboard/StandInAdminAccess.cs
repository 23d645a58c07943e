using ReportPoc.Contracts;

namespace ReportPoc.AppHost.Dashboard;

/// <summary>
/// The shared secret of the stand-ins' controls (<see cref="StandInAdmin"/>): a generated secret parameter, passed to
/// each stand-in, and sent by the dashboard commands through a named HttpClient, so only the AppHost (and the tests,
/// which set the parameter) can fault LP, reset its ledger or take the broker down.
/// </summary>
public static class StandInAdminAccess
{
    /// <summary>The HttpClient the stand-ins' dashboard commands use (HttpCommandOptions.HttpClientName): it adds the key.</summary>
    public const string HttpClientName = "stand-in-admin";

    public static IResourceBuilder<ProjectResource> WithStandInAdminKey(this IResourceBuilder<ProjectResource> standIn) =>
        standIn.WithEnvironment("StandInAdmin__Key", KeyOf(standIn.ApplicationBuilder));

    /// <summary>The app's one key parameter, added (with the commands' HttpClient) on first use.</summary>
    public static IResourceBuilder<ParameterResource> KeyOf(IDistributedApplicationBuilder builder)
    {
        if (builder.Resources.OfType<ParameterResource>().FirstOrDefault(parameter => parameter.Name == StandInAdmin.ParameterName) is { } existing)
        {
            return builder.CreateResourceBuilder(existing);
        }

        var key = builder.AddParameter(StandInAdmin.ParameterName, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);
        builder.Services.AddHttpClient(HttpClientName).AddHttpMessageHandler(() => new KeyHeader(key.Resource));
        return key;
    }

    private sealed class KeyHeader(ParameterResource key) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.Add(StandInAdmin.KeyHeader, await key.GetValueAsync(cancellationToken));
            return await base.SendAsync(request, cancellationToken);
        }
    }
}
