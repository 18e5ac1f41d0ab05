using System.Diagnostics;

namespace FfmpegFunctions.Tests.Support;

/// <summary>
/// A PostgreSQL cluster of its own that demands a password over TCP (scram-sha-256): the test stack's cluster trusts
/// every local connection, so a wrong password (or token) would pass there and a sign-in test could not fail.
/// initdb and start take about a second. Runs as the postgres user when the tests run as root, as stack.sh does.
/// </summary>
public sealed class PasswordPostgres : IAsyncLifetime
{
    private const string Bin = "/usr/lib/postgresql/15/bin";
    private readonly string home = Path.Combine("/var/tmp/ffmpegfunctions-pg", "password-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly int port = Ports.Free();

    /// <summary>The superuser's password: what a fake Entra credential hands out as its token.</summary>
    public string Password { get; } = "pw-" + Guid.NewGuid().ToString("N");

    /// <summary>Without a password, as a managed-identity deployment's connection string is.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres;Pooling=true";

    public async Task InitializeAsync()
    {
        var data = Path.Combine(home, "data");
        var run = Path.Combine(home, "run");
        Directory.CreateDirectory(data);
        Directory.CreateDirectory(run);
        var pwfile = Path.Combine(home, "pw");
        await File.WriteAllTextAsync(pwfile, Password);
        if (Environment.IsPrivilegedProcess) await RunAsync("chown", "-R", "postgres:postgres", home);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(data, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await AsPostgresAsync($"{Bin}/initdb", "-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256",
            "--pwfile", pwfile, "-E", "UTF8", "--locale=C.UTF-8");
        await AsPostgresAsync($"{Bin}/pg_ctl", "-D", data, "-l", Path.Combine(home, "postgres.log"), "-w", "-t", "30",
            "-o", $"-c listen_addresses=127.0.0.1 -p {port} -k {run} -c fsync=off", "start");
    }

    public async Task DisposeAsync()
    {
        await AsPostgresAsync($"{Bin}/pg_ctl", "-D", Path.Combine(home, "data"), "-m", "immediate", "-w", "stop");
        Directory.Delete(home, recursive: true);
    }

    private static Task AsPostgresAsync(string file, params string[] args) =>
        Environment.IsPrivilegedProcess ? RunAsync("runuser", ["-u", "postgres", "--", file, .. args]) : RunAsync(file, args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}: {await stderr}{await stdout}");
    }
}
