namespace ReportPoc.Contracts;

/// <summary>
/// The stand-ins' controls (LpMock's <c>/lp/admin/*</c>, the dev broker's <c>/broker/*</c>) answer only calls carrying
/// the shared secret the AppHost generates (parameter <see cref="ParameterName"/>) in <see cref="KeyHeader"/>: the
/// AppHost's dashboard commands, the chaos drill and the tests send it; anyone else who reaches the port gets 401.
/// </summary>
public static class StandInAdmin
{
    public const string ParameterName = "stand-in-admin-key";

    public const string KeyHeader = "StandIn-Admin-Key";

    /// <summary>The stand-ins' configuration key for the secret (environment StandInAdmin__Key).</summary>
    public const string KeySetting = "StandInAdmin:Key";
}
