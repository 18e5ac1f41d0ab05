namespace FfmpegFunctions.Tests.Support;

/// <summary>Wait-for-condition instead of sleeps.</summary>
public static class Eventually
{
    public static async Task<T> BecomesAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        T last = default!;
        while (!cts.IsCancellationRequested)
        {
            last = await probe();
            if (done(last)) return last;
            try { await Task.Delay(100, cts.Token); } catch (OperationCanceledException) { break; }
        }
        throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.#} s waiting for {what}; last value: {last}");
    }
}
