using FfmpegFunctions.Bench.Api;

// Load figures of a running Server (bench/api.sh starts one against its own stack).
//   api <baseUrl> [clients=50] [seconds=10]   create and get latency and throughput
//   progress <baseUrl>                       delay from a progress report to a SignalR client
if (args.Length < 2 || !Uri.TryCreate(args[1], UriKind.Absolute, out var baseUrl))
{
    Console.Error.WriteLine("usage: FfmpegFunctions.Bench.Api api|progress <baseUrl> [clients] [seconds]");
    return 2;
}
var clients = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 50;
var seconds = args.Length > 3 ? int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture) : 10;
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(5));
return args[0] switch
{
    "api" => await ApiLoad.RunAsync(baseUrl, clients, TimeSpan.FromSeconds(seconds), cancel.Token),
    "progress" => await ProgressDelay.RunAsync(baseUrl, cancel.Token),
    _ => 2,
};
