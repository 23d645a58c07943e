using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ReportPoc.Contracts;

namespace Microsoft.Extensions.Hosting;

public static class StandInAdminKey
{
    /// <summary>
    /// The endpoints answer only a request whose <see cref="StandInAdmin.KeyHeader"/> is the configured
    /// <see cref="StandInAdmin.KeySetting"/> (compared in fixed time): 401 otherwise, and 403 for every call when no
    /// key is configured, so a stand-in started without the AppHost has no open controls.
    /// </summary>
    public static TBuilder RequireStandInAdminKey<TBuilder>(this TBuilder endpoints) where TBuilder : IEndpointConventionBuilder =>
        endpoints.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            var expected = http.RequestServices.GetRequiredService<IConfiguration>()[StandInAdmin.KeySetting];
            if (string.IsNullOrEmpty(expected))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The admin controls are off.",
                    detail: $"No {StandInAdmin.KeySetting} is configured; the AppHost passes one.");
            }

            var given = http.Request.Headers[StandInAdmin.KeyHeader].ToString();
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected)))
            {
                return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "The admin controls need the AppHost's key.",
                    detail: $"Send the {StandInAdmin.KeyHeader} header with the AppHost's {StandInAdmin.ParameterName} parameter.");
            }

            return await next(context);
        });
}
