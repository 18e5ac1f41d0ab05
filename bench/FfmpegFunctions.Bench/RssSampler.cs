using System.Globalization;

namespace FfmpegFunctions.Bench;

/// <summary>
/// Polls the RSS of this process's children (the ffmpeg passes and feed processes the executor starts) every few
/// milliseconds from <c>/proc</c>: each child's <c>VmHWM</c> (its own peak, exact up to the last poll before it exits)
/// and the largest sum of <c>VmRSS</c> over children alive at the same instant.
/// </summary>
internal sealed class RssSampler : IDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(10);
    private readonly Dictionary<int, long> peaks = [];
    private readonly CancellationTokenSource stop = new();
    private readonly Thread thread;
    private long concurrentPeak;

    public RssSampler()
    {
        thread = new Thread(Run) { IsBackground = true, Name = "rss-sampler" };
        thread.Start();
    }

    /// <summary>Largest VmHWM of any single child, in KiB.</summary>
    public long ProcessPeakKb { get; private set; }

    /// <summary>Largest sum of VmRSS over children running at once, in KiB.</summary>
    public long ConcurrentPeakKb => concurrentPeak;

    public void Stop()
    {
        stop.Cancel();
        thread.Join();
        ProcessPeakKb = peaks.Count == 0 ? 0 : peaks.Values.Max();
    }

    private void Run()
    {
        while (!stop.IsCancellationRequested)
        {
            long sum = 0;
            foreach (var pid in Children())
            {
                var (rss, hwm) = Read(pid);
                sum += rss;
                if (hwm > 0) peaks[pid] = Math.Max(peaks.GetValueOrDefault(pid), hwm);
            }
            concurrentPeak = Math.Max(concurrentPeak, sum);
            stop.Token.WaitHandle.WaitOne(Interval);
        }
    }

    private static IEnumerable<int> Children()
    {
        var ids = new List<int>();
        foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
        {
            try
            {
                foreach (var id in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    ids.Add(int.Parse(id, CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
            }
        }
        return ids;
    }

    private static (long Rss, long Hwm) Read(int pid)
    {
        try
        {
            long rss = 0, hwm = 0;
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmRSS:", StringComparison.Ordinal)) rss = Kb(line);
                else if (line.StartsWith("VmHWM:", StringComparison.Ordinal)) hwm = Kb(line);
            }
            return (rss, hwm);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    private static long Kb(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    public void Dispose()
    {
        if (!stop.IsCancellationRequested) Stop();
        stop.Dispose();
    }
}
