using System.Buffers.Binary;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using ReportPoc.Contracts.Lp;

namespace ReportPoc.LpMock.Simulation;

/// <summary>The faults in force; read on every call, replaced as a whole by the admin endpoint.</summary>
public sealed class LpFaultSwitch(IOptions<LpOptions> options)
{
    private readonly Lock _gate = new();
    private LpFaults _current = new(options.Value.ErrorRate, options.Value.SlowdownFactor, RejectRate: options.Value.RejectRate,
        GatewayErrorRate: options.Value.GatewayErrorRate);
    private TaskCompletionSource _cut = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LpFaults Current => Volatile.Read(ref _current);

    /// <summary>Completes when the way to LP is cut (<see cref="LpFaults.Unreachable"/>); already complete while it is.</summary>
    public Task Cut
    {
        get
        {
            lock (_gate)
            {
                return _cut.Task;
            }
        }
    }

    public void Set(LpFaults faults)
    {
        lock (_gate)
        {
            Volatile.Write(ref _current, faults);
            if (faults.Unreachable)
            {
                _cut.TrySetResult();
            }
            else if (_cut.Task.IsCompleted)
            {
                _cut = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }

    public void Heal() => Set(LpFaults.None);

    /// <summary>Rolls the dice for one unit of work against the current error rate.</summary>
    public bool ShouldFail()
    {
        var errorRate = Current.ErrorRate;
        return errorRate > 0 && Random.Shared.NextDouble() < errorRate;
    }

    /// <summary>Whether the gateway in front of LP answers this LPRUN call with a 502/504 of its own (the run goes on behind it).</summary>
    public bool GatewayFails()
    {
        var rate = Current.GatewayErrorRate;
        return rate > 0 && Random.Shared.NextDouble() < rate;
    }

    /// <summary>
    /// Whether LP refuses this report. Decided by the report id, not by chance per call, so the refusal is permanent:
    /// every attempt of a refused report is refused again, and the others never are.
    /// </summary>
    public bool Rejects(Guid reportId)
    {
        var rejectRate = Current.RejectRate;
        if (rejectRate <= 0)
        {
            return false;
        }

        Span<byte> id = stackalloc byte[16];
        reportId.TryWriteBytes(id);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(id, hash);
        return BinaryPrimitives.ReadUInt32BigEndian(hash) < rejectRate * uint.MaxValue;
    }
}
