namespace ReportPoc.Chaos;

/// <summary>
/// The chaos drill in the dashboard. Its command runs one drill at a time; its state shows the phase and counts while
/// it runs, then the verdict; its properties hold the last result (<see cref="Results.ChaosResultProperties"/>).
/// </summary>
public sealed class ChaosDrillResource(string name) : Resource(name)
{
    private int _running;

    internal bool TryStartRun() => Interlocked.Exchange(ref _running, 1) == 0;

    internal void EndRun() => Volatile.Write(ref _running, 0);
}
