using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using FfmpegFunctions.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace FfmpegFunctions.Bench.Workflow;

/// <summary>
/// The segment fan-out on the Server's engine, measured end to end: the 3-minute 720p30 composition of the
/// <c>segments</c> benchmark (6 clips of 925 frames, 5 fades, logo, text, looped music; veryfast) created with
/// <c>POST /api/compositions</c> on (a) two in-process Server instances sharing one database (Render:SegmentSeconds
/// as given, Workflow:MaxConcurrentJobs 1 each, so the job's owner and the other instance each render segments),
/// (b) one such instance alone and (c) one instance with segments off (Render:SegmentSeconds 0, the single pass).
/// Each set has a database of its own, so no instance claims another set's job. Runs rotate through the sets.
/// Wall time is the rows' completed_at - created_at; job_tasks tells which instance rendered which segment.
/// </summary>
internal static class SegmentFanOut
{
    private const int Clips = 6;
    private const double ClipSeconds = 925 / 30.0;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    public static async Task<int> RunAsync(BenchStack stack, IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var runs = args.Count > 0 && int.TryParse(args[0], out var n) && n > 0 ? n : 3;
        var segment = args.FirstOrDefault(a => a.StartsWith("segment=", StringComparison.Ordinal)) is { } option
            ? option["segment=".Length..] : "60";
        var root = Path.Combine(Path.GetTempPath(), "ffmpegfunctions-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(root);
        try
        {
            Console.WriteLine("preparing inputs (not timed)...");
            var files = await MakeInputsAsync(root, cancellationToken);
            var ffmpeg = new FfmpegClock();
            var segmented = new Dictionary<string, string?> { ["Render:SegmentSeconds"] = segment };
            var sets = new List<InstanceSet>
            {
                await InstanceSet.StartAsync("two instances, segmented", stack, root, ffmpeg, segmented, ["two-a", "two-b"], cancellationToken),
                await InstanceSet.StartAsync("one instance, segmented", stack, root, ffmpeg, segmented, ["one"], cancellationToken),
                await InstanceSet.StartAsync("one instance, single pass", stack, root, ffmpeg, new() { ["Render:SegmentSeconds"] = "0" }, ["single"], cancellationToken),
            };
            try
            {
                // The bucket is the stack's, shared by every set: upload once.
                var objects = sets[0].Instances[0].Services.GetRequiredService<IObjectStore>();
                var keys = new Dictionary<string, string>();
                foreach (var (name, (path, type)) in files)
                {
                    keys[name] = StorageKeys.Input(Guid.NewGuid(), Path.GetFileName(path));
                    await objects.UploadFileAsync(keys[name], path, type, cancellationToken);
                }
                var spec = Spec(keys);
                var warmUp = JsonSerializer.SerializeToUtf8Bytes(new
                {
                    title = "warm-up",
                    output = new { width = 320, height = 180, fps = 25, preset = "veryfast" },
                    clips = new object[] { new { source = keys["short"] } },
                });
                foreach (var set in sets)
                {
                    // JIT, connections, the API key cache; short enough to stay one segment.
                    await set.RenderAsync(warmUp, cancellationToken);
                    ffmpeg.TakeAll();
                }

                var load = new List<string> { Load() };
                for (var i = 0; i < runs; i++)
                {
                    for (var k = 0; k < sets.Count; k++)
                    {
                        var set = sets[(i + k) % sets.Count];
                        var run = await set.RenderAsync(spec, cancellationToken) with { Ffmpeg = ffmpeg.TakeAll().TotalSeconds };
                        set.Runs.Add(run);
                        Console.WriteLine($"run {i + 1}, {set.Name}: {run.Wall:0.00} s (ffmpeg {run.Ffmpeg:0.00} s summed over parts); {run.Detail}; load {Load()}");
                    }
                }
                load.Add(Load());

                Console.WriteLine($"segment fan-out on the Server engine: 180 s 720p30 veryfast, Render:SegmentSeconds={segment}, Workflow:MaxConcurrentJobs 1 per instance; "
                    + $"N={runs} rotating, {Environment.ProcessorCount} cores, load before/after {string.Join(" / ", load)}");
                Console.WriteLine("set                          create->completed median (min-max)   ffmpeg summed   segments per instance (each run)");
                foreach (var set in sets)
                {
                    var walls = set.Runs.Select(r => r.Wall).ToList();
                    Console.WriteLine($"{set.Name,-28} {BenchStack.Median(walls),8:0.00} s ({walls.Min():0.00}-{walls.Max():0.00})        {BenchStack.Median(set.Runs.Select(r => r.Ffmpeg)),8:0.00} s   "
                        + string.Join(" | ", set.Runs.Select(r => r.PerOwner)));
                }
                var two = BenchStack.Median(sets[0].Runs.Select(r => r.Wall));
                Console.WriteLine($"  two/one segmented {two / BenchStack.Median(sets[1].Runs.Select(r => r.Wall)):0.000}, two segmented/one single pass {two / BenchStack.Median(sets[2].Runs.Select(r => r.Wall)):0.000}");
                return 0;
            }
            finally
            {
                foreach (var set in sets) await set.DisposeAsync();
            }
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>The benchmark's sources, made with lavfi like the in-process bench's: six 31 s 720p30 clips with a sine each, the logo, the music, and a short clip for warm-ups.</summary>
    private static async Task<Dictionary<string, (string Path, string ContentType)>> MakeInputsAsync(string root, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, (string, string)>();
        List<string> quiet = ["-hide_banner", "-loglevel", "error", "-y"];
        for (var i = 0; i < Clips; i++)
        {
            var clip = Path.Combine(root, $"clip{i}.mp4");
            await BenchStack.RunAsync("ffmpeg", [.. quiet, "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=30:duration=31",
                "-f", "lavfi", "-i", $"sine=frequency={330 + 110 * i}:sample_rate=48000:duration=31",
                "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest", clip], cancellationToken);
            files[$"clip{i}"] = (clip, "video/mp4");
        }
        var logo = Path.Combine(root, "logo.png");
        await BenchStack.RunAsync("ffmpeg", [.. quiet, "-f", "lavfi", "-i", "color=c=white@0.8:size=200x80,format=rgba", "-frames:v", "1", logo], cancellationToken);
        files["logo"] = (logo, "image/png");
        var music = Path.Combine(root, "music.m4a");
        await BenchStack.RunAsync("ffmpeg", [.. quiet, "-f", "lavfi", "-i", "sine=frequency=220:sample_rate=48000:duration=25", "-c:a", "aac", music], cancellationToken);
        files["music"] = (music, "audio/mp4");
        var shortClip = Path.Combine(root, "short.mp4");
        await BenchStack.RunAsync("ffmpeg", [.. quiet, "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25:duration=2",
            "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", "-shortest", shortClip], cancellationToken);
        files["short"] = (shortClip, "video/mp4");
        return files;
    }

    /// <summary>The in-process bench's 180 s spec (CompositionBenchmark.Spec(6, 925/30)) as the API takes it.</summary>
    private static byte[] Spec(Dictionary<string, string> keys) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        title = "segments",
        output = new { width = 1280, height = 720, fps = 30, preset = "veryfast" },
        clips = Enumerable.Range(0, Clips).Select(i => new
        {
            source = keys[$"clip{i}"],
            trim = new { start = 0.0, end = ClipSeconds },
            transition = i < Clips - 1 ? new { type = "fade", duration = 1.0 } : null,
        }).ToArray(),
        audio = new { source = keys["music"], volume = 0.3, fadeIn = 1.0, fadeOut = 2.0, loop = true, clipAudio = 0.8 },
        overlays = new object[]
        {
            new { type = "image", source = keys["logo"], position = "top-right", width = 200, opacity = 0.8 },
            new { type = "text", text = "FfmpegFunctions", position = "bottom-left", fontSize = 36, box = true, start = 2.0, end = Clips * ClipSeconds - (Clips - 1) - 2 },
        },
    }, new JsonSerializerOptions { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });

    private static string Load() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    internal sealed record Run(double Wall, double Ffmpeg, string PerOwner, string Detail);

    /// <summary>Server instances on one private database; the first one serves the API calls.</summary>
    private sealed class InstanceSet : IAsyncDisposable
    {
        private readonly HttpClient client;
        private readonly string connectionString;

        private InstanceSet(string name, string connectionString, List<BenchServer> instances)
        {
            Name = name;
            this.connectionString = connectionString;
            Instances = instances;
            client = instances[0].CreateClient();
            client.DefaultRequestHeaders.Add("X-API-Key", BenchStack.ApiKey);
        }

        public string Name { get; }
        public List<BenchServer> Instances { get; }
        public List<Run> Runs { get; } = [];

        public static async Task<InstanceSet> StartAsync(string name, BenchStack stack, string root, FfmpegClock ffmpeg, Dictionary<string, string?> extra,
            IReadOnlyList<string> instanceIds, CancellationToken cancellationToken)
        {
            var database = await stack.CreateDatabaseAsync(cancellationToken);
            var instances = new List<BenchServer>();
            foreach (var id in instanceIds)
            {
                var settings = BenchStack.Settings(database, Path.Combine(root, "work"));
                settings["Workflow:InstanceId"] = id;
                settings["Workflow:MaxConcurrentJobs"] = "1";
                foreach (var (k, v) in extra) settings[k] = v;
                var instance = new BenchServer(settings, ffmpeg);
                // One after the other: the first one migrates the new database.
                _ = instance.Services;
                instances.Add(instance);
            }
            return new InstanceSet(name, database, instances);
        }

        public async Task<Run> RenderAsync(byte[] spec, CancellationToken cancellationToken)
        {
            using var response = await client.PostAsync("/api/compositions", new ByteArrayContent(spec) { Headers = { ContentType = new("application/json") } }, cancellationToken);
            response.EnsureSuccessStatusCode();
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("id").GetGuid();
            var wall = await BenchStack.WaitCompletedAsync(connectionString, id, Timeout, cancellationToken);
            return await DescribeAsync(id, wall, cancellationToken);
        }

        /// <summary>Who ran which segment and how long each part took, from job_tasks and job_steps.</summary>
        private async Task<Run> DescribeAsync(Guid compositionId, double wall, CancellationToken cancellationToken)
        {
            await using var source = NpgsqlDataSource.Create(connectionString);
            await using var job = source.CreateCommand("SELECT id FROM jobs WHERE composition_id = @id");
            job.Parameters.AddWithValue("id", compositionId);
            var jobId = (Guid)(await job.ExecuteScalarAsync(cancellationToken))!;

            var perOwner = new List<string>();
            await using (var owners = source.CreateCommand("SELECT owner, count(*) FROM job_tasks WHERE job_id = @job GROUP BY owner ORDER BY owner"))
            {
                owners.Parameters.AddWithValue("job", jobId);
                await using var reader = await owners.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) perOwner.Add($"{(reader.IsDBNull(0) ? "?" : reader.GetString(0))}: {reader.GetInt64(1)}");
            }

            var parts = new List<string>();
            // Fanned-out tasks (the segments) and the owner's steps that run ffmpeg, each with its own duration.
            await using (var timings = source.CreateCommand("""
                SELECT step, owner, extract(epoch FROM completed_at - started_at)::float8, started_at FROM job_tasks WHERE job_id = @job
                UNION ALL
                SELECT step, owner, extract(epoch FROM completed_at - started_at)::float8, started_at FROM job_steps
                WHERE job_id = @job AND step IN ('Render', 'RenderAudio', 'RenderSegment', 'Join')
                ORDER BY 4
                """))
            {
                timings.Parameters.AddWithValue("job", jobId);
                await using var reader = await timings.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                    parts.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetString(0)}@{(reader.IsDBNull(1) ? "?" : reader.GetString(1))} {reader.GetDouble(2):0.00}"));
            }
            return new Run(wall, 0, perOwner.Count == 0 ? "no tasks" : string.Join(", ", perOwner), string.Join(", ", parts));
        }

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            foreach (var instance in Instances) await instance.DisposeAsync();
        }
    }
}
