using System.Net.Http.Json;
using ReportPoc.Contracts;
using ReportPoc.Contracts.Lp;

namespace ReportPoc.AppHost.Dashboard;

/// <summary>Dashboard buttons that inject faults by hand, to watch the async path stay isolated from them.</summary>
public static class FaultCommands
{
    public static IResourceBuilder<ProjectResource> WithLpFaultCommands(this IResourceBuilder<ProjectResource> lp) => lp
        .WithLpFaultCommand("lp-errors", "LP: fail 20% of calls", new LpFaults(ErrorRate: 0.2), "Warning")
        .WithLpFaultCommand("lp-slow", "LP: 3× slower", new LpFaults(SlowdownFactor: 3), "Clock")
        .WithLpFaultCommand("lp-outage", "LP: outage", new LpFaults(Outage: true), "PlugDisconnected")
        // The way to LP cut while LP runs on: runs already started finish behind the cut and are found by lookup afterwards.
        .WithLpFaultCommand("lp-unreachable", "LP: unreachable (runs go on)", new LpFaults(Unreachable: true), "CloudOff")
        // Refused for good (422), not unavailable: those reports use up their attempts, are dead-lettered and end Failed.
        .WithLpFaultCommand("lp-reject", "LP: reject 10% of reports", new LpFaults(RejectRate: 0.1), "DocumentDismiss")
        // A gateway's own 502/504 while LP runs the report behind it: nobody may call LPRUN again; the run is followed by lookup.
        .WithLpFaultCommand("lp-gateway", "LP: gateway 502/504 on 30% of LPRUNs", new LpFaults(GatewayErrorRate: 0.3), "ArrowSwap")
        .WithHttpCommand("/lp/admin/heal", "LP: heal", commandName: "lp-heal",
            commandOptions: new HttpCommandOptions { HttpClientName = StandInAdminAccess.HttpClientName, Method = HttpMethod.Post, IconName = "HeartPulse", Description = "Remove every injected fault." });

    /// <summary>Local mode's dev broker: take the (only) broker down and bring it back.</summary>
    public static IResourceBuilder<ProjectResource> WithBrokerOutageCommands(this IResourceBuilder<ProjectResource> broker) => broker
        .WithHttpCommand("/broker/down", "Broker: down", commandName: ResourceCommandNames.BrokerDown,
            commandOptions: new HttpCommandOptions { HttpClientName = StandInAdminAccess.HttpClientName, Method = HttpMethod.Post, IconName = "PlugDisconnected", Description = "Simulate a Kafka outage." })
        .WithHttpCommand("/broker/up", "Broker: up", commandName: ResourceCommandNames.BrokerUp,
            commandOptions: new HttpCommandOptions { HttpClientName = StandInAdminAccess.HttpClientName, Method = HttpMethod.Post, IconName = "PlugConnected", Description = "End the simulated outage." })
        .WithHttpCommand("/broker/1/down", "Broker 1 of 3: down", commandName: ResourceCommandNames.OneBrokerDown,
            commandOptions: new HttpCommandOptions { HttpClientName = StandInAdminAccess.HttpClientName, Method = HttpMethod.Post, IconName = "ServerMultiple", Description = "Simulate one broker's restart: its partition leadership and the group coordinator move to another broker." })
        .WithHttpCommand("/broker/1/up", "Broker 1 of 3: up", commandName: ResourceCommandNames.OneBrokerUp,
            commandOptions: new HttpCommandOptions { HttpClientName = StandInAdminAccess.HttpClientName, Method = HttpMethod.Post, IconName = "Server", Description = "Bring broker 1 back: it leads its partitions again." });

    private static IResourceBuilder<ProjectResource> WithLpFaultCommand(this IResourceBuilder<ProjectResource> lp, string name, string displayName, LpFaults faults, string icon) =>
        lp.WithHttpCommand("/lp/admin/faults", displayName, commandName: name, commandOptions: new HttpCommandOptions
        {
            HttpClientName = StandInAdminAccess.HttpClientName,
            Method = HttpMethod.Put,
            IconName = icon,
            PrepareRequest = context =>
            {
                context.Request.Content = JsonContent.Create(faults);
                return Task.CompletedTask;
            },
        });
}
