using System.Diagnostics;

namespace FfmpegFunctions.Tests.Support;

/// <summary>Runs scripts/stack.sh, e.g. to take a dependency down in an outage test.</summary>
public static class StackScript
{
    public static async Task RunAsync(IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken, params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(StackSettings.RepositoryRoot, "scripts", "stack.sh"));
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        psi.Environment["STACK_NAME"] = StackSettings.StackName;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"stack.sh {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
    }
}
