namespace ReportPoc.Tests.Infrastructure;

/// <summary>Waits for something the system under test brings about, and fails the test when it does not come in time.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Condition not met within {timeout}.");
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }
}
