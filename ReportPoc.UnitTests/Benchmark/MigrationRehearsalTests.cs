using ReportPoc.Benchmark.Outcomes;
using ReportPoc.Contracts.Reports;

namespace ReportPoc.UnitTests.Benchmark;

/// <summary>The rehearsal's check that answers follow each client's setting: what it counts as off-setting, and the lag it reports.</summary>
public sealed class MigrationRehearsalTests
{
    private static readonly PathSwitch[] Switches =
    [
        new("client-a", ClientPath.Sync, ClientPath.Bridge, 10),
        new("client-a", ClientPath.Bridge, ClientPath.Async, 20),
    ];

    [Fact]
    public void AnswersOnTheSettingInForceAreNotOffSetting()
    {
        RehearsalAnswer[] answers =
        [
            new("client-a", 5, 5.5, 200, "sync"),
            new("client-a", 12, 12.2, 200, "bridge"),
            new("client-a", 25, 25.01, 202, "async"),
            new("client-b", 25, 25.5, 200, "sync"),
        ];

        Assert.Equal(0, MigrationRehearsal.OffSetting(answers, Switches));
    }

    [Fact]
    public void AnOldPathAnswerWithinTheGraceOfASwitchIsAllowedAndPastItIsCounted()
    {
        RehearsalAnswer[] answers =
        [
            new("client-a", 10.5, 10.8, 200, "sync"), // half a second after the switch: the Api may not have heard yet
            new("client-a", 9.6, 9.9, 200, "bridge"), // sent while the operator's command ran
            new("client-a", 12, 12.3, 200, "sync"), // two seconds after: the switch did not reach this request
        ];

        Assert.Equal(1, MigrationRehearsal.OffSetting(answers, Switches));
        Assert.Equal(2, MigrationRehearsal.MaxSwitchLag(answers, Switches));
    }

    [Fact]
    public void AClientMovedBackIsNotLateOnItsFirstSwitch()
    {
        PathSwitch[] switches = [.. Switches, new("client-a", ClientPath.Async, ClientPath.Sync, 30)];
        RehearsalAnswer[] answers = [new("client-a", 15, 15.2, 200, "bridge"), new("client-a", 35, 35.3, 200, "sync")];

        Assert.Equal(0, MigrationRehearsal.MaxSwitchLag(answers, switches));
        Assert.Equal(0, MigrationRehearsal.OffSetting(answers, switches));
    }

    [Fact]
    public void AnotherClientsSwitchDoesNotExcuseAnAnswer()
    {
        RehearsalAnswer[] answers = [new("client-b", 10.2, 10.4, 200, "bridge")];

        Assert.Equal(1, MigrationRehearsal.OffSetting(answers, Switches));
    }

    [Fact]
    public void TheSettingIsTheLastSwitchAtOrBeforeTheMomentAndSyncBeforeAny()
    {
        Assert.Equal(ClientPath.Sync, MigrationRehearsal.SettingAt(Switches, "client-a", 9.99));
        Assert.Equal(ClientPath.Bridge, MigrationRehearsal.SettingAt(Switches, "client-a", 10));
        Assert.Equal(ClientPath.Async, MigrationRehearsal.SettingAt(Switches, "client-a", 100));
        Assert.Equal(ClientPath.Sync, MigrationRehearsal.SettingAt(Switches, "client-b", 100));
    }
}
